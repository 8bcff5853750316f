package org.sehathub.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HL7 v2 over MLLP with N concurrent connections, each sending one message at a time and waiting
 * for its acknowledgement, as hospital interface engines do. A patient's messages all go over one
 * connection, in order, so an update never overtakes the registration it updates.
 */
final class MllpLoad {

    private static final byte START = 0x0B;
    private static final byte END = 0x1C;
    private static final byte CR = 0x0D;

    /**
     * One MLLP load's outcome.
     *
     * @param accepted messages acknowledged with MSA-1 AA
     * @param otherAcks messages acknowledged with AE/AR (refused) or an unreadable reply
     * @param seconds wall-clock time
     * @param ackMillis the time from sending each message to receiving its acknowledgement
     */
    record Result(int accepted, int otherAcks, double seconds, List<Double> ackMillis) {

        double acceptedPerSecond() {
            return accepted / seconds;
        }
    }

    private MllpLoad() {}

    /** True when something accepts connections on the port (the MLLP route is in the jar and on). */
    static boolean available(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (ConnectException refused) {
            return false;
        } catch (IOException other) {
            return false;
        }
    }

    static Result run(int port, Hl7v2Stream stream, int repetition, int messages, int connections)
            throws InterruptedException {
        int patients = Math.max(connections, messages / 4);
        List<Double> ackMillis = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<?>> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            workers.add(pool.submit(() -> {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(120_000);
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    for (int patient = connection; patient < patients; patient += connections) {
                        for (String message : stream.patientMessages(repetition, patient)) {
                            long sent = System.nanoTime();
                            out.write(START);
                            out.write(message.getBytes(StandardCharsets.UTF_8));
                            out.write(END);
                            out.write(CR);
                            out.flush();
                            String ack = readFrame(in);
                            ackMillis.add((System.nanoTime() - sent) / 1e6);
                            if (ack.contains("MSA|AA|")) {
                                accepted.incrementAndGet();
                            } else if (other.incrementAndGet() <= 3) {
                                Bench.log("  MLLP non-AA: %s", FhirLoad.abbreviate(ack.replace('\r', '\n')));
                            }
                        }
                    }
                } catch (IOException e) {
                    Bench.log("  MLLP connection %d failed: %s", connection, e);
                }
            }));
        }
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        return new Result(accepted.get(), other.get(), seconds, new ArrayList<>(ackMillis));
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != START) {
            if (b == -1) {
                throw new IOException("Connection closed before an acknowledgement");
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != END) {
            if (b == -1) {
                throw new IOException("Connection closed inside an acknowledgement");
            }
            frame.write(b);
        }
        in.read(); // the CR that ends the frame
        return frame.toString(StandardCharsets.UTF_8);
    }
}
