package org.sehathub.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

/**
 * CPU time used by the server's JVM and by PostgreSQL (the postmaster, its live processes, and the
 * ones that have ended), read from /proc (Linux), so a lever's effect shows as CPU per resource
 * even on a machine whose throughput other work disturbs.
 */
final class CpuMeter {

    private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux

    /** CPU seconds used so far. */
    record Reading(double server, double postgres) {

        Reading since(Reading earlier) {
            return new Reading(server - earlier.server, postgres - earlier.postgres);
        }
    }

    private final long serverPid;
    private final long postmasterPid;

    private CpuMeter(long serverPid, long postmasterPid) {
        this.serverPid = serverPid;
        this.postmasterPid = postmasterPid;
    }

    /** The postmaster is the parent of the backend that answers a new connection. */
    static CpuMeter of(ServerProcess server, BenchDatabase database) throws IOException, SQLException {
        try (Connection connection = database.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_backend_pid()")) {
            rows.next();
            // Read while the connection is open: its backend exits when it closes.
            return new CpuMeter(server.pid(), Long.parseLong(stat(rows.getLong(1))[1]));
        }
    }

    Reading read() throws IOException {
        String[] postmaster = stat(postmasterPid);
        // utime + stime, plus cutime + cstime: the ended backends' time, reaped by the postmaster
        double postgres = ticks(postmaster, 11) + ticks(postmaster, 12) + ticks(postmaster, 13) + ticks(postmaster, 14);
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.toList()) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                String[] fields = statOrNull(Long.parseLong(name));
                if (fields != null && fields[1].equals(Long.toString(postmasterPid))) {
                    postgres += ticks(fields, 11) + ticks(fields, 12);
                }
            }
        }
        String[] server = stat(serverPid);
        return new Reading((ticks(server, 11) + ticks(server, 12)) / TICKS_PER_SECOND, postgres / TICKS_PER_SECOND);
    }

    private static double ticks(String[] fields, int index) {
        return Long.parseLong(fields[index]);
    }

    /** /proc/PID/stat after the command's name: state, ppid, ... (field 3 of proc(5) is index 0). */
    private static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static String[] statOrNull(long pid) {
        try {
            return stat(pid);
        } catch (IOException ended) {
            return null;
        }
    }
}
