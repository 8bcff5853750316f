package org.sehathub.ingest.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.sehathub.ingest.sink.BundleRejectedException;
import org.sehathub.ingest.sink.BundleSink;
import org.sehathub.ingest.sink.ConflictingResendException;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.ingest.sink.SinkUnavailableException;
import org.sehathub.ingest.sink.StoreOutcome;

/**
 * An in-memory sink that behaves like the real one (receipts, duplicates, conflicts) and records
 * every store, in order. It can be told to refuse bundles or to be unreachable.
 */
public class RecordingBundleSink implements BundleSink {

    /** How the next stores behave. */
    public enum Mode {
        NORMAL,
        REJECT,
        UNAVAILABLE
    }

    /** One committed store. */
    public record Stored(Bundle bundle, MessageReceipt receipt, List<String> ids, boolean asSender) {}

    private record Key(String channel, String sender, String messageId) {}

    private record Receipt(String hash, List<String> ids) {}

    private final Map<Key, Receipt> receipts = new HashMap<>();
    private final List<Stored> stored = new ArrayList<>();
    private final List<MessageReceipt> calls = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile Mode mode = Mode.NORMAL;

    @Override
    public StoreOutcome store(Bundle transaction, MessageReceipt receipt) {
        return store(transaction, receipt, false);
    }

    @Override
    public StoreOutcome storeAsSender(Bundle transaction, MessageReceipt receipt) {
        return store(transaction, receipt, true);
    }

    private synchronized StoreOutcome store(Bundle transaction, MessageReceipt receipt, boolean asSender) {
        calls.add(receipt);
        if (mode == Mode.UNAVAILABLE) {
            throw new SinkUnavailableException("connection refused", null);
        }
        if (mode == Mode.REJECT) {
            throw new BundleRejectedException("Observation.subject: invalid reference", null);
        }
        Key key = new Key(receipt.channel(), receipt.sender(), receipt.messageId());
        Receipt previous = receipts.get(key);
        if (previous != null) {
            if (previous.hash().equals(receipt.contentHash())) {
                return new StoreOutcome(true, previous.ids());
            }
            throw new ConflictingResendException(receipt);
        }
        List<String> resourceIds = transaction.getEntry().stream()
                .map(e -> e.getResource().fhirType() + "/" + ids.incrementAndGet())
                .toList();
        receipts.put(key, new Receipt(receipt.contentHash(), resourceIds));
        stored.add(new Stored(transaction, receipt, resourceIds, asSender));
        return new StoreOutcome(false, resourceIds);
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public synchronized List<Stored> stored() {
        return List.copyOf(stored);
    }

    public synchronized List<MessageReceipt> calls() {
        return List.copyOf(calls);
    }

    public synchronized void reset() {
        receipts.clear();
        stored.clear();
        calls.clear();
        mode = Mode.NORMAL;
    }
}
