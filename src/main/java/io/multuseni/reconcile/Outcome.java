package io.multuseni.reconcile;

/** How the boot phase ended. */
public sealed interface Outcome {
    /** An ENI is attached and its interface carries the configured name. */
    record Holding(Status status) implements Outcome {}

    /** No matching ENI was free within the boot wait. */
    record NoneFree(String reason) implements Outcome {}

    /** Dry run: EC2 accepted the attach with DryRun=true; nothing was changed. */
    record DryRun(String plan) implements Outcome {}
}
