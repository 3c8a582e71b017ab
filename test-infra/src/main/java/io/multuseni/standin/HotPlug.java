package io.multuseni.standin;

/**
 * What happens on the instance when an attachment completes or ends: in the namespace stand-in a
 * real interface with the ENI's MAC appears or disappears, as the kernel's hot-plug would do.
 */
public interface HotPlug {
    HotPlug NONE = new HotPlug() {
        @Override
        public void plugged(String mac, int deviceIndex) {}

        @Override
        public void unplugged(String mac) {}
    };

    void plugged(String mac, int deviceIndex);

    void unplugged(String mac);
}
