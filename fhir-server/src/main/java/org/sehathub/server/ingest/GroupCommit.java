package org.sehathub.server.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.sehathub.ingest.sink.StoreOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: messages that arrive together, on different connections, are stored in one
 * database transaction, and each caller still returns only after that commit. A caller whose
 * message finds a free transaction and nobody waiting stores it alone at once, so a lone sender
 * waits for nothing; while {@code maxTransactions} are running, messages queue, and whoever next
 * finds a free transaction takes the queue's head and every later message that fits into one group
 * and stores it for all of them.
 *
 * <p>Two messages that share a key (the same conditional URL, resource id, {@code fullUrl} or
 * receipt: {@link GroupKeys}) are never in one group nor in two transactions at once: HAPI keeps
 * only the first of two entries with the same conditional URL in a Bundle, and two transactions
 * creating the same patient would make one of them fail and retry. A group that fails is not
 * retried as a group: each of its messages is then stored alone, by its own caller, so that one bad
 * message cannot sink its neighbours and each gets its own answer.
 *
 * @param <T> a message ready to store
 */
final class GroupCommit<T> {

    private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);

    /** Stores two or more messages in one transaction. */
    @FunctionalInterface
    interface GroupWriter<T> {
        /**
         * @return for each message, in order, what it stored once the group committed; empty for
         *     all of them when the group could not be stored, and each is then stored alone
         */
        List<Optional<StoreOutcome>> writeTogether(List<T> messages);
    }

    /** One message in the queue and, once answered, what became of it. */
    private static final class Waiting<T> {
        private final T message;
        private final Set<String> keys;
        private final int entries;
        /** Null while it waits; empty: to be stored alone by its caller. */
        private Optional<StoreOutcome> answer;

        private Waiting(T message, Set<String> keys, int entries) {
            this.message = message;
            this.keys = keys;
            this.entries = entries;
        }
    }

    private final GroupWriter<T> writer;
    private final int maxTransactions;
    private final int maxMessages;
    private final int maxEntries;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Waiting<T>> queue = new ArrayDeque<>();
    /** The keys of every message being stored now, alone or in a group. */
    private final Set<String> reserved = new HashSet<>();
    /** Transactions running now: groups, and messages stored alone. */
    private int running;

    private final Counter groups;
    private final DistributionSummary groupSizes;
    private final Counter retriedAlone;

    /**
     * @param maxTransactions how many transactions store messages at once
     * @param maxMessages the most messages in one transaction
     * @param maxEntries the most Bundle entries in one transaction (a larger message is its own group)
     */
    GroupCommit(GroupWriter<T> writer, int maxTransactions, int maxMessages, int maxEntries, MeterRegistry meters) {
        this.writer = writer;
        this.maxTransactions = maxTransactions;
        this.maxMessages = maxMessages;
        this.maxEntries = maxEntries;
        this.groups = Counter.builder("sehat.ingest.group.commits")
                .description("Transactions that stored two or more messages together")
                .register(meters);
        this.groupSizes = DistributionSummary.builder("sehat.ingest.group.messages")
                .description("Messages stored together in one transaction, per group")
                .register(meters);
        this.retriedAlone = Counter.builder("sehat.ingest.group.retried.alone")
                .description("Messages of a group that failed, stored again alone")
                .register(meters);
        Gauge.builder("sehat.ingest.store.waiting", () -> waiting())
                .description("Messages waiting for a transaction to store them")
                .register(meters);
        Gauge.builder("sehat.ingest.store.running", () -> running())
                .description("Transactions storing messages now")
                .register(meters);
    }

    /**
     * Stores a message, alone or with others, and returns after its transaction committed.
     *
     * @param keys what it must not share with another message in flight ({@link GroupKeys})
     * @param entries its Bundle's entries
     * @param alone stores it in a transaction of its own; called by this thread when it is
     */
    StoreOutcome store(T message, Set<String> keys, int entries, Supplier<StoreOutcome> alone) {
        Waiting<T> mine = new Waiting<>(message, Set.copyOf(keys), entries);
        lock.lock();
        try {
            queue.addLast(mine);
            while (mine.answer == null) {
                if (!lead()) {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine.answer.isEmpty()) {
            try {
                return alone.get();
            } finally {
                lock.lock();
                try {
                    release(List.of(mine));
                } finally {
                    lock.unlock();
                }
            }
        }
        return mine.answer.get();
    }

    /**
     * With the lock held: if a transaction is free, takes the next group and stores it (a group of
     * one is handed back to its caller). False when there was nothing this thread could do.
     */
    private boolean lead() {
        if (running >= maxTransactions) {
            return false;
        }
        List<Waiting<T>> group = take();
        if (group.isEmpty()) {
            return false;
        }
        running++;
        if (group.size() == 1) {
            group.get(0).answer = Optional.empty();
            changed.signalAll();
            return true;
        }
        List<Optional<StoreOutcome>> answers;
        lock.unlock();
        try {
            answers = write(group);
        } finally {
            lock.lock();
        }
        List<Waiting<T>> done = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            Waiting<T> member = group.get(i);
            member.answer = answers.get(i);
            if (member.answer.isEmpty()) {
                // Stored by its caller, in a transaction of its own counted as running till then.
                running++;
            } else {
                done.add(member);
            }
        }
        release(done);
        return true;
    }

    /** Without the lock: the group's answers; on a fault of the writer's, each is stored alone. */
    private List<Optional<StoreOutcome>> write(List<Waiting<T>> group) {
        List<Optional<StoreOutcome>> answers;
        try {
            answers = writer.writeTogether(
                    group.stream().map(member -> member.message).toList());
            if (answers.size() != group.size()) {
                throw new IllegalStateException(answers.size() + " answers for a group of " + group.size());
            }
        } catch (RuntimeException | Error e) {
            // A fault of ours (even a stack overflow in a deep resource): the callers must still be
            // answered, each by storing its own message.
            log.warn("Storing {} messages together failed unexpectedly; storing each alone", group.size(), e);
            answers = Collections.nCopies(group.size(), Optional.empty());
        }
        long alone = answers.stream().filter(Optional::isEmpty).count();
        if (alone < group.size()) {
            groups.increment();
            groupSizes.record(group.size());
        }
        retriedAlone.increment(alone);
        return answers;
    }

    /**
     * With the lock held: the queue's head and the later messages that fit with it, in order,
     * taken off the queue and their keys reserved. A message that shares a key with one in flight,
     * or with one already taken, waits for a later group.
     */
    private List<Waiting<T>> take() {
        List<Waiting<T>> group = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        int groupEntries = 0;
        for (Iterator<Waiting<T>> it = queue.iterator(); it.hasNext() && group.size() < maxMessages; ) {
            Waiting<T> next = it.next();
            if (!Collections.disjoint(next.keys, reserved) || !Collections.disjoint(next.keys, taken)) {
                continue;
            }
            if (!group.isEmpty() && groupEntries + next.entries > maxEntries) {
                break;
            }
            it.remove();
            group.add(next);
            taken.addAll(next.keys);
            groupEntries += next.entries;
        }
        reserved.addAll(taken);
        return group;
    }

    /** With the lock held: one transaction ended, storing {@code done}. */
    private void release(List<Waiting<T>> done) {
        running--;
        done.forEach(member -> reserved.removeAll(member.keys));
        changed.signalAll();
    }

    private double waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private double running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }
}
