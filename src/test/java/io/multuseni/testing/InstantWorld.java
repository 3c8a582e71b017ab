package io.multuseni.testing;

import io.multuseni.standin.Ec2World;
import io.multuseni.standin.HotPlug;

/** The in-memory EC2 world as the unit tests set it up: what it attaches or detaches does so at once. */
public final class InstantWorld {
    private InstantWorld() {}

    /** A world in eu-west-2 whose attachments and detachments complete at once. */
    public static Ec2World create() {
        Ec2World world = new Ec2World("eu-west-2");
        world.attachDelay(0);
        world.detachDelay(0);
        return world;
    }

    /** Instance {@code i-1} of the zone, an EKS node of cluster {@code prod}, whose ENIs appear in {@code links}. */
    public static Ec2World.Instance thisNode(Ec2World world, String zone, HotPlug links) {
        return thisNode(world, zone, links, 4);
    }

    /** The same with a limit of network interfaces (the primary one included), as the instance type sets. */
    public static Ec2World.Instance thisNode(Ec2World world, String zone, HotPlug links, int maxInterfaces) {
        Ec2World.Instance me = world.addInstance("i-1", zone, maxInterfaces);
        me.tags.put("eks:cluster-name", "prod");
        me.hotPlug = links;
        return me;
    }
}
