package org.sehathub.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The benchmark's concurrent clients: one task run on {@code clients} threads at once, to its end. */
final class ClientThreads {

    private ClientThreads() {}

    /**
     * Runs {@code task} on {@code clients} threads and waits for all of them; each thread's task
     * takes its own work from a shared queue or counter and returns when there is none left.
     */
    static void run(int clients, Runnable task) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                workers.add(pool.submit(task));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
    }
}
