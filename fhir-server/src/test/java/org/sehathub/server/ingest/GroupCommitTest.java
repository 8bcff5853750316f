package org.sehathub.server.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.sink.StoreOutcome;

/** Which messages group commit stores together, and who stores the rest. */
class GroupCommitTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ExecutorService senders = Executors.newCachedThreadPool();
    /** Every group the writer was given, in order. */
    private final List<List<String>> groupsWritten = Collections.synchronizedList(new ArrayList<>());
    /** Messages sent to wait in the current commit's queue. */
    private int queued;

    @AfterEach
    void stop() {
        senders.shutdownNow();
    }

    @Test
    void aLoneMessageIsStoredAloneAtOnceByItsCaller() {
        GroupCommit<String> commit = commit(2, 16, 100, this::storedTogether);

        StoreOutcome outcome = commit.store("a", Set.of("Patient?identifier=1"), 3, () -> alone("a"));

        assertThat(outcome.resourceIds()).containsExactly("alone:a");
        assertThat(groupsWritten).isEmpty();
        assertThat(gauge("sehat.ingest.store.running")).isZero();
    }

    @Test
    void messagesArrivingWhileTheTransactionsAreBusyAreStoredTogetherEachWithItsOwnOutcome() throws Exception {
        GroupCommit<String> commit = commit(1, 16, 100, this::storedTogether);
        Busy busy = busy(commit, "k-a");

        CompletableFuture<StoreOutcome> b = queue(send(commit, "b", "k-b"));
        CompletableFuture<StoreOutcome> c = queue(send(commit, "c", "k-c"));
        CompletableFuture<StoreOutcome> d = queue(send(commit, "d", "k-d"));

        assertThat(busy.end().resourceIds()).containsExactly("alone:a");
        assertThat(b.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("together:b");
        assertThat(c.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("together:c");
        assertThat(d.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("together:d");
        assertThat(groupsWritten).containsExactly(List.of("b", "c", "d"));
        assertThat(meters.get("sehat.ingest.group.commits").counter().count()).isEqualTo(1);
        assertThat(meters.get("sehat.ingest.group.messages").summary().totalAmount())
                .isEqualTo(3);
    }

    @Test
    void messagesSharingAKeyAreNeverStoredTogetherNorAtTheSameTime() throws Exception {
        GroupCommit<String> commit = commit(2, 16, 100, this::storedTogether);
        Busy busy = busy(commit, "Patient?identifier=1");

        // A transaction is free, but b is about a's patient: it waits for a.
        CompletableFuture<StoreOutcome> b = queue(send(commit, "b", "Patient?identifier=1"));
        assertThat(b).isNotDone();

        assertThat(busy.end().resourceIds()).containsExactly("alone:a");
        assertThat(b.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("alone:b");
        assertThat(groupsWritten).isEmpty();
    }

    @Test
    void aGroupTakesOnlyOneOfTwoMessagesAboutTheSamePatient() throws Exception {
        GroupCommit<String> commit = commit(1, 16, 100, this::storedTogether);
        Busy busy = busy(commit, "k-a");
        CompletableFuture<StoreOutcome> b = queue(send(commit, "b", "Patient?identifier=7"));
        CompletableFuture<StoreOutcome> c = queue(send(commit, "c", "Patient?identifier=7"));
        CompletableFuture<StoreOutcome> d = queue(send(commit, "d", "k-d"));

        busy.end();
        assertThat(b.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("together:b");
        assertThat(d.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("together:d");
        assertThat(c.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("alone:c");
        assertThat(groupsWritten).containsExactly(List.of("b", "d"));
    }

    @Test
    void groupsHoldAtMostTheirLimitsOfMessagesAndEntries() throws Exception {
        GroupCommit<String> commit = commit(1, 2, 10, this::storedTogether);
        Busy busy = busy(commit, "k-a");
        List<CompletableFuture<StoreOutcome>> queued = new ArrayList<>();
        for (String message : List.of("b", "c", "d", "e")) {
            queued.add(queue(send(commit, message, "k-" + message, 4)));
        }
        // f alone is more entries than a group may hold: it goes alone, never with others.
        queued.add(queue(send(commit, "f", "k-f", 12)));

        busy.end();
        for (CompletableFuture<StoreOutcome> outcome : queued) {
            outcome.get(10, TimeUnit.SECONDS);
        }
        assertThat(groupsWritten).containsExactly(List.of("b", "c"), List.of("d", "e"));
        assertThat(queued.get(4).get().resourceIds()).containsExactly("alone:f");
    }

    @Test
    void aFailedGroupIsStoredAgainMessageByMessageAndOnlyTheBadOneFails() throws Exception {
        // The writer cannot store the group (one message is refused in it): every one goes alone,
        // where the refused one fails alone and its neighbours are stored.
        GroupCommit<String> commit = commit(1, 16, 100, group -> {
            groupsWritten.add(group);
            return Collections.nCopies(group.size(), Optional.<StoreOutcome>empty());
        });
        Busy busy = busy(commit, "k-a");
        CompletableFuture<StoreOutcome> good = queue(send(commit, "good", "k-good"));
        CompletableFuture<StoreOutcome> bad = queue(send(commit, "bad", "k-bad", () -> {
            throw new IllegalArgumentException("refused: bad");
        }));

        busy.end();
        assertThat(good.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("alone:good");
        assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS)).hasMessageContaining("refused: bad");
        assertThat(groupsWritten).containsExactly(List.of("good", "bad"));
        assertThat(meters.get("sehat.ingest.group.retried.alone").counter().count())
                .isEqualTo(2);
        assertThat(meters.get("sehat.ingest.group.commits").counter().count()).isZero();
        assertThat(gauge("sehat.ingest.store.running")).isZero();
    }

    @Test
    void aFaultOfTheWriterStillAnswersEveryCallerEachStoringItsOwnMessage() throws Exception {
        List<GroupCommit.GroupWriter<String>> faulty = List.of(
                group -> {
                    throw new IllegalStateException("bug");
                },
                group -> {
                    throw new StackOverflowError();
                },
                group -> List.of(Optional.of(new StoreOutcome(false, List.of("one answer for two")))));
        for (GroupCommit.GroupWriter<String> writer : faulty) {
            GroupCommit<String> commit = commit(1, 16, 100, writer);
            Busy busy = busy(commit, "k-a");
            CompletableFuture<StoreOutcome> b = queue(send(commit, "b", "k-b"));
            CompletableFuture<StoreOutcome> c = queue(send(commit, "c", "k-c"));

            busy.end();
            assertThat(b.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("alone:b");
            assertThat(c.get(10, TimeUnit.SECONDS).resourceIds()).containsExactly("alone:c");
            assertThat(gauge("sehat.ingest.store.running")).isZero();
            // Nothing is left reserved: a message with b's key is stored at once.
            assertThat(commit.store("b2", Set.of("k-b"), 1, () -> alone("b2")).resourceIds())
                    .containsExactly("alone:b2");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A message stored alone and held there: the one transaction is busy until {@link #end}. */
    private record Busy(CompletableFuture<StoreOutcome> stored, CountDownLatch release) {
        StoreOutcome end() throws Exception {
            release.countDown();
            return stored.get(10, TimeUnit.SECONDS);
        }
    }

    private Busy busy(GroupCommit<String> commit, String key) {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<StoreOutcome> stored = send(commit, "a", key, () -> blockedAlone("a", release));
        awaitGauge("sehat.ingest.store.running", 1);
        return new Busy(stored, release);
    }

    /** Returns a message sent once it waits in the queue, behind those queued before it. */
    private CompletableFuture<StoreOutcome> queue(CompletableFuture<StoreOutcome> sent) {
        awaitGauge("sehat.ingest.store.waiting", ++queued);
        return sent;
    }

    private GroupCommit<String> commit(
            int transactions, int maxMessages, int maxEntries, GroupCommit.GroupWriter<String> writer) {
        meters.clear();
        queued = 0;
        return new GroupCommit<>(writer, transactions, maxMessages, maxEntries, meters);
    }

    private List<Optional<StoreOutcome>> storedTogether(List<String> group) {
        groupsWritten.add(group);
        return group.stream()
                .map(message -> Optional.of(new StoreOutcome(false, List.of("together:" + message))))
                .toList();
    }

    private CompletableFuture<StoreOutcome> send(GroupCommit<String> commit, String message, String key) {
        return send(commit, message, key, 1);
    }

    private CompletableFuture<StoreOutcome> send(GroupCommit<String> commit, String message, String key, int entries) {
        return CompletableFuture.supplyAsync(
                () -> commit.store(message, Set.of(key), entries, () -> alone(message)), senders);
    }

    private CompletableFuture<StoreOutcome> send(
            GroupCommit<String> commit, String message, String key, Supplier<StoreOutcome> alone) {
        return CompletableFuture.supplyAsync(() -> commit.store(message, Set.of(key), 1, alone), senders);
    }

    private static StoreOutcome alone(String message) {
        return new StoreOutcome(false, List.of("alone:" + message));
    }

    private static StoreOutcome blockedAlone(String message, CountDownLatch release) {
        try {
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return alone(message);
    }

    private double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    private void awaitGauge(String name, double value) {
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(5))
                .untilAsserted(() -> assertThat(gauge(name)).as(name).isEqualTo(value));
    }
}
