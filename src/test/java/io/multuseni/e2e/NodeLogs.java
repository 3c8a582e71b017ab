package io.multuseni.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * When a test fails, each of its nodes' daemon logs goes with the report: the whole log to
 * {@code target/e2e-logs/<class>/<test>-<backend>/<node>.log}, its last lines to stderr, which the test report keeps. Called
 * after the test's tear-down, when every node is closed and its processes have ended, so the logs are whole.
 */
final class NodeLogs implements TestWatcher {
    private static final int TAIL_LINES = 150;
    private final List<Node> nodes = new CopyOnWriteArrayList<>();

    Node add(Node node) {
        nodes.add(node);
        return node;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Path dir = Path.of(System.getProperty("basedir", "."), "target", "e2e-logs",
                context.getRequiredTestClass().getSimpleName(), context.getRequiredTestMethod().getName() + "-"
                        + safe(context.getParent().map(ExtensionContext::getDisplayName).orElse("")));
        try {
            Files.createDirectories(dir);
            for (Node node : nodes) {
                String logs = node.logs();
                Path file = dir.resolve(node.dir.getFileName() + ".log");
                Files.writeString(file, logs);
                List<String> lines = logs.lines().toList();
                System.err.println("==== " + context.getDisplayName() + " failed; node " + node.dir.getFileName()
                        + " (" + node.instance.id() + "), the last " + Math.min(TAIL_LINES, lines.size()) + " of "
                        + lines.size() + " lines of its log (all in " + file + "):");
                lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()).forEach(System.err::println);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The backend's display name (the class's run) as part of a directory name. */
    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9._-]+", "_");
    }
}
