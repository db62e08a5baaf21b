package io.kvl.testing;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a call with a time bound, for fuzz tests: a hang must be a finding, and an in-process fuzzer
 * cannot time out a call that never returns (JUnit's {@code @Timeout} would bound the whole fuzzing
 * run instead). The call runs on one reused daemon thread; on timeout it is left there, stuck, and
 * the test fails.
 */
public final class Bounded {
    private static final ExecutorService WORKER =
            Executors.newSingleThreadExecutor(
                    task -> {
                        Thread t = new Thread(task, "fuzz-bounded-call");
                        t.setDaemon(true);
                        return t;
                    });

    private Bounded() {}

    /** The call's result or exception (unwrapped, so the fuzzer reports its real type). */
    public static <T> T call(Duration bound, Callable<T> call) throws Exception {
        Future<T> future = WORKER.submit(call);
        try {
            return future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("hang: the call took longer than " + bound, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
