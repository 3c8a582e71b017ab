package io.multuseni.labels;

import io.multuseni.config.Durations;
import io.multuseni.errors.Causes;
import io.multuseni.kube.Nodes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code multus-eni-kube} thread and the Kubernetes client it owns. Everything that touches the client
 * runs here, so nothing Kubernetes does — a hang, a broken kubeconfig, an exception of any kind — ever blocks
 * or breaks the ENI work: other threads only hand it tasks ({@link #submit}) or wait a bounded time for an
 * answer ({@link #await}). The client is built on first use, and again after {@link #disconnect()} or when
 * what it is built from (the kubeconfig) has changed.
 */
final class KubeThread {
    private static final Logger log = LoggerFactory.getLogger(KubeThread.class);
    /**
     * How long a caller waits for an answer (a release for the unlabel, a status for the label): a pass in
     * flight and two bounded API calls. Past it the caller goes on without one.
     */
    static final Duration KUBE_WAIT = Duration.ofSeconds(15);
    /** How long closing waits for what was handed over before it: an Event or two, a disconnect. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Supplier<Nodes> connect;
    private final Supplier<Object> source;
    private final Runnable closeWatches;
    private final ScheduledThreadPoolExecutor executor;
    // Touched on this thread only (or by a test driving the loop's step() on its own thread).
    private Nodes nodes;
    /** What the client was last built (or tried to be built) from; null before the first try. */
    private Object builtFrom;

    /**
     * @param connect makes the client; may throw anything (a kubeconfig not there yet, or broken), and is called
     *     again at the next use
     * @param source what the client is built from (e.g. the kubeconfig's content): when it changes, the client is
     *     built again
     * @param closeWatches closes what the loop opened on the client, before the client is closed
     */
    KubeThread(Supplier<Nodes> connect, Supplier<Object> source, Runnable closeWatches) {
        this.connect = connect;
        this.source = source;
        this.closeWatches = closeWatches;
        this.executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "multus-eni-kube");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
    }

    /** The client, built now if there is none or if the kubeconfig changed since it was. On this thread only. */
    Nodes client() {
        if (builtFrom != null && !Objects.equals(source.get(), builtFrom)) {
            log.info("the kubeconfig changed: connecting to Kubernetes anew");
            disconnect();
        }
        if (nodes == null) {
            builtFrom = source.get();
            nodes = connect.get();
        }
        return nodes;
    }

    /** Closes the watches and the client: the next use builds a new one (a cached bad address, a dead pool). */
    void disconnect() {
        closeWatches.run();
        if (nodes != null) {
            nodes.close();
            nodes = null;
        }
    }

    /** Runs the task on this thread; dropped once the thread is shut down. */
    void submit(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException closed) {
            // shut down: nothing more to do with Kubernetes
        }
    }

    /** Runs the task on this thread after the wait; null once the thread is shut down. */
    ScheduledFuture<?> schedule(Runnable task, Duration wait) {
        try {
            return executor.schedule(task, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            return null;
        }
    }

    /** Runs the call on this thread and waits for it at most {@link #KUBE_WAIT}. */
    <T> T await(Callable<T> call) throws Unanswered {
        Future<T> answer;
        try {
            answer = executor.submit(call);
        } catch (RejectedExecutionException e) {
            throw new Unanswered("the Kubernetes client is already closed");
        }
        try {
            return answer.get(KUBE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new Unanswered("no answer within " + Durations.format(KUBE_WAIT));
        } catch (ExecutionException e) {
            throw new Unanswered(Causes.of(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unanswered("interrupted");
        }
    }

    /**
     * Closes the client on this thread, after what was handed to it (an Event of a boot that failed, say), waiting
     * for that at most {@link #CLOSE_WAIT}: the process may be about to exit.
     */
    void close() {
        submit(this::disconnect);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.debug("closing the Kubernetes client: what was left for it is dropped after {}",
                        Durations.format(CLOSE_WAIT));
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    /** Stops at once: what runs is interrupted, what waits is dropped. */
    void shutdownNow() {
        executor.shutdownNow();
    }

    /** Kubernetes did not answer in time, or failed: the message says which and why. */
    static final class Unanswered extends Exception {
        Unanswered(String why) {
            super(why);
        }
    }
}
