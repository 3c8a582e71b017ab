package io.multuseni.eni;

import io.multuseni.aws.Eni;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Release: detach every ENI of the network attached here, then the instance tag and the files. */
final class Release {
    private static final Logger log = LoggerFactory.getLogger(Release.class);
    private final EniOps ops;

    Release(EniOps ops) {
        this.ops = ops;
    }

    /** @see EniReconciler#release() */
    List<Eni> release() throws InterruptedException {
        List<Eni> ours = ops.oursOnInstance().stream()
                .filter(e -> e.attachment().filter(a -> a.instanceId().equals(ops.instanceId()) && a.deviceIndex() != 0)
                        .isPresent())
                .toList();
        for (Eni eni : ours) {
            ops.detach(eni);
        }
        // Nothing is held any more: the files and the state say so before the untag, which may be refused.
        ops.files.remove();
        ops.state.delete();
        ops.untag();
        if (ours.isEmpty()) {
            log.info("instance {} holds no ENI matching {}: nothing to detach", ops.instanceId(), ops.net.selector());
        }
        return ours;
    }
}
