package io.multuseni.node;

/** How the boot phase ended. */
public sealed interface Outcome {
    /**
     * An ENI is attached and its interface carries the configured name.
     *
     * @param attached whether this acquire attached it (else it was already attached to the instance: adopted)
     */
    record Holding(Held held, boolean attached) implements Outcome {}

    /**
     * No matching ENI was free within the boot wait.
     *
     * @param freeing whether one is being detached right now (it will be free in a moment)
     */
    record NoneFree(String reason, boolean freeing) implements Outcome {
        public NoneFree(String reason) {
            this(reason, false);
        }
    }

    /** Dry run: EC2 accepted the attach with DryRun=true; nothing was changed. */
    record DryRun(String plan) implements Outcome {}
}
