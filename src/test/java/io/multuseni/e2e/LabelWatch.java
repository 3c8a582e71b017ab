package io.multuseni.e2e;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.multuseni.environment.Environment;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** Watches a Node through the API server and remembers whether its label was ever seen missing. */
final class LabelWatch implements AutoCloseable {
    final AtomicBoolean removed = new AtomicBoolean();
    private final Watch watch;

    LabelWatch(Environment env, String node, String label) {
        watch = env.kube().nodes().withName(node).watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Node n) {
                Map<String, String> labels = n.getMetadata().getLabels();
                if (action == Action.DELETED || labels == null || !"true".equals(labels.get(label))) {
                    removed.set(true);
                }
            }

            @Override
            public void onClose(WatcherException cause) {}
        });
    }

    @Override
    public void close() {
        watch.close();
    }
}
