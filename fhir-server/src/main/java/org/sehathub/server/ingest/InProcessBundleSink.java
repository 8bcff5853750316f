package org.sehathub.server.ingest;

import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.sehathub.ingest.sink.BundleRejectedException;
import org.sehathub.ingest.sink.BundleSink;
import org.sehathub.ingest.sink.ConflictingResendException;
import org.sehathub.ingest.sink.MessageReceipt;
import org.sehathub.ingest.sink.SinkUnavailableException;
import org.sehathub.ingest.sink.StoreOutcome;
import org.sehathub.ingest.sink.UnknownRecordException;
import org.sehathub.server.security.FacilityTagging;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Stores ingested bundles in this server's database through HAPI's system DAO. The FHIR transaction
 * and the message's receipt commit together: {@link ReceiptWriter} writes the receipt inside HAPI's
 * database transaction, so an acknowledged message is stored exactly once.
 *
 * <p>Two senders racing on the same message id, or on the same patient's conditional create, make
 * one transaction fail on a unique constraint; it is retried, and the retry finds the winner's rows.
 *
 * <p>Our mappers' Bundles that arrive while others are being stored are stored together, several
 * messages in one transaction with a receipt each ({@link GroupCommit}); a Bundle its sender wrote
 * ({@link #storeAsSender}) is always its own transaction.
 */
public class InProcessBundleSink implements BundleSink {

    private static final Logger log = LoggerFactory.getLogger(InProcessBundleSink.class);
    private static final int ATTEMPTS = 5;
    /** A search parameter's value in a quoted URL: up to the next parameter, bracket, quote or space. */
    private static final Pattern SEARCH_VALUE = Pattern.compile("=[^&\\]\\s\"']+");

    /** PostgreSQL's SQL state for a unique-constraint violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final MessageReceipts receipts;
    private final FacilityTagging senderRights = new FacilityTagging();
    /** Null: every entry is written as mapped. */
    private final KnownReferenceData referenceData;
    /** Null: each message is its own transaction. */
    private final GroupCommit<Prepared> groups;

    private final int maxGroupEntries;

    /**
     * A mapped message ready to be stored with others: its receipt, the Bundle to write (tagged, its
     * known reference data left out) and what to remember of it once committed (null: nothing).
     */
    private record Prepared(MessageReceipt receipt, Bundle bundle, KnownReferenceData.Shortened shortened) {}

    /**
     * @param referenceData the reference data already stored, skipped in our mappers' Bundles; null
     *     writes every entry
     * @param grouping how many messages arriving together share a transaction ({@link GroupCommit})
     */
    public InProcessBundleSink(
            IFhirSystemDao<Bundle, Meta> systemDao,
            MessageReceipts receipts,
            KnownReferenceData referenceData,
            Grouping grouping,
            MeterRegistry meters) {
        this.systemDao = systemDao;
        this.receipts = receipts;
        this.referenceData = referenceData;
        this.maxGroupEntries = grouping.maxEntries();
        this.groups = grouping.maxMessages() > 1
                ? new GroupCommit<>(
                        this::writeTogether,
                        grouping.transactions(),
                        grouping.maxMessages(),
                        grouping.maxEntries(),
                        meters)
                : null;
    }

    /**
     * Group commit's limits.
     *
     * @param maxMessages the most messages in one transaction; 1 stores each in its own
     * @param maxEntries the most Bundle entries in one transaction; a bigger message goes alone
     * @param transactions how many transactions store mapped messages at once
     */
    public record Grouping(int maxMessages, int maxEntries, int transactions) {}

    /**
     * Stores our mappers' Bundle; while other messages are being stored, it waits to be stored with
     * those that arrive meanwhile, in one transaction ({@link GroupCommit}).
     */
    @Override
    public StoreOutcome store(Bundle transaction, MessageReceipt receipt) {
        if (groups == null
                || transaction.getType() != Bundle.BundleType.TRANSACTION
                || transaction.getEntry().size() > maxGroupEntries) {
            return store(transaction, receipt, false);
        }
        Optional<StoreOutcome> earlier = storedBefore(receipt);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        Bundle toStore = tagged(transaction, receipt);
        KnownReferenceData.Shortened shortened = referenceData == null ? null : referenceData.shorten(toStore);
        Bundle written = shortened == null ? toStore : shortened.bundle();
        return groups.store(
                new Prepared(receipt, written, shortened),
                GroupKeys.of(written, receipt),
                written.getEntry().size(),
                () -> store(transaction, receipt, false));
    }

    /** As {@link #store}, with the sender's rights ({@link FacilityTagging#actingFor}). */
    @Override
    public StoreOutcome storeAsSender(Bundle transaction, MessageReceipt receipt) {
        if (receipt.facility() == null || receipt.facility().isBlank()) {
            throw new BundleRejectedException("A Bundle written by its sender needs the facility it is sent for", null);
        }
        return store(transaction, receipt, true);
    }

    private StoreOutcome store(Bundle transaction, MessageReceipt receipt, boolean asSender) {
        if (transaction.getType() != Bundle.BundleType.TRANSACTION) {
            throw new BundleRejectedException("Only transaction bundles can be stored atomically", null);
        }
        // A sender's own Bundle is written whole: each of its entries is checked against its rights.
        boolean skipKnown = referenceData != null && !asSender;
        for (int attempt = 1; ; attempt++) {
            try {
                return storeOnce(transaction, receipt, asSender, skipKnown);
            } catch (ConflictingResendException | BundleRejectedException e) {
                throw e;
            } catch (SkippedEntriesFailed e) {
                // What was skipped may have changed behind our back: write the message whole.
                log.debug(
                        "{} message {} failed with known reference data skipped; writing it whole",
                        receipt.channel(),
                        receipt.messageId());
                skipKnown = false;
            } catch (RuntimeException e) {
                if (isRaceLoss(e) && attempt < ATTEMPTS) {
                    log.debug(
                            "Concurrent write for {} message {}; retrying (attempt {})",
                            receipt.channel(),
                            receipt.messageId(),
                            attempt);
                    backOff(attempt);
                    continue;
                }
                throw classify(e);
            }
        }
    }

    private StoreOutcome storeOnce(Bundle transaction, MessageReceipt receipt, boolean asSender, boolean skipKnown) {
        Optional<StoreOutcome> earlier = storedBefore(receipt);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        ReceiptWriter writer = new ReceiptWriter(receipts, receipt);
        InterceptorService perRequest = new InterceptorService("sehat-ingest-receipt");
        perRequest.registerInterceptor(writer);
        Bundle toStore = tagged(transaction, receipt);
        SystemRequestDetails request = new SystemRequestDetails(perRequest);
        if (asSender) {
            // Its storage hooks check each write as the sender's, as they do on /fhir.
            perRequest.registerInterceptor(senderRights);
            FacilityTagging.actingFor(
                    receipt.facility(), toStore, systemDao.getContext(), () -> systemDao.transaction(request, toStore));
        } else if (skipKnown) {
            KnownReferenceData.Shortened shortened = referenceData.shorten(toStore);
            Bundle response;
            try {
                response = systemDao.transaction(request, shortened.bundle());
            } catch (RuntimeException e) {
                if (shortened.skipped() == 0) {
                    throw e;
                }
                referenceData.forgetAll();
                throw new SkippedEntriesFailed(e);
            }
            referenceData.remember(shortened, response);
        } else {
            systemDao.transaction(request, toStore);
        }
        return new StoreOutcome(false, writer.writtenIds());
    }

    /**
     * Stores a group of messages in one transaction, each with its receipt. A failure of any kind
     * stores nothing, and each message is then stored alone ({@link GroupCommit}), where its own
     * failure is told apart from its neighbours'.
     */
    private List<Optional<StoreOutcome>> writeTogether(List<Prepared> group) {
        Bundle together = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        List<ReceiptWriter.Member> members = new ArrayList<>();
        for (Prepared message : group) {
            members.add(
                    new ReceiptWriter.Member(message.receipt(), message.bundle().getEntry()));
            message.bundle().getEntry().forEach(together::addEntry);
        }
        ReceiptWriter writer = new ReceiptWriter(receipts, members);
        InterceptorService perRequest = new InterceptorService("sehat-ingest-receipt");
        perRequest.registerInterceptor(writer);
        Bundle response;
        try {
            response = systemDao.transaction(new SystemRequestDetails(perRequest), together);
        } catch (RuntimeException e) {
            // The class only: HAPI's reasons may quote match URLs, which name patients.
            log.debug(
                    "A group of {} messages failed ({}); storing each alone",
                    group.size(),
                    e.getClass().getName());
            return Collections.nCopies(group.size(), Optional.empty());
        }
        List<Optional<StoreOutcome>> answers = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < group.size(); i++) {
            Prepared message = group.get(i);
            int to = from + message.bundle().getEntry().size();
            if (message.shortened() != null) {
                Bundle own = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
                response.getEntry().subList(from, to).forEach(own::addEntry);
                referenceData.remember(message.shortened(), own);
            }
            answers.add(Optional.of(new StoreOutcome(false, writer.writtenIds(i))));
            from = to;
        }
        return answers;
    }

    /** The outcome of an earlier store of the same message, if there was one. */
    private Optional<StoreOutcome> storedBefore(MessageReceipt receipt) {
        Optional<MessageReceipts.Stored> earlier = receipts.find(receipt);
        if (earlier.isPresent() && !earlier.get().contentHash().equals(receipt.contentHash())) {
            throw new ConflictingResendException(receipt);
        }
        return earlier.map(stored -> new StoreOutcome(true, stored.resourceIds()));
    }

    /**
     * A copy to store, its resources tagged with the message's facility (hospitals read only resources
     * tagged with theirs). The DAO modifies what it stores (ids, references); the caller's Bundle
     * stays as it was, so a retry starts from the original.
     */
    private static Bundle tagged(Bundle transaction, MessageReceipt receipt) {
        Bundle toStore = transaction.copy();
        if (receipt.facility() != null && !receipt.facility().isBlank()) {
            toStore.getEntry().stream()
                    .filter(entry -> entry.getResource() != null)
                    .forEach(entry -> FacilityTagging.tag(entry.getResource(), receipt.facility()));
        }
        return toStore;
    }

    /** A write that failed with known reference data left out; nothing was stored. */
    private static final class SkippedEntriesFailed extends RuntimeException {
        SkippedEntriesFailed(RuntimeException cause) {
            super(cause);
        }
    }

    /** A unique constraint (receipt or conditional-create URL) lost to a concurrent transaction. */
    private static boolean isRaceLoss(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataIntegrityViolationException
                    || cause instanceof ResourceVersionConflictException
                    || (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
    /**
     * Sorts a failure into what the sender is told. A 404 is a conditional write or reference that
     * found nothing (HAPI-0972): a record not yet sent. The database unreachable, busy (a lost race
     * after the retries, a deadlock, a lock or statement timeout): nothing stored, send again later.
     * Other server refusals (4xx) are the sender's to fix. Anything else is a fault of ours and is
     * passed on as it is, to be answered as an internal error: never as "send again later", which
     * would have the message sent (and an inbox file read) again and again for nothing.
     */
    static RuntimeException classify(RuntimeException e) {
        if (e instanceof ResourceNotFoundException) {
            return new UnknownRecordException(e);
        }
        if (isConnectionFailure(e)) {
            return new SinkUnavailableException("The central record's database is unreachable; nothing was stored", e);
        }
        if (isRaceLoss(e) || isTransientState(e)) {
            return new SinkUnavailableException(
                    "The central record was busy (concurrent writes or a lock); nothing was stored", e);
        }
        if (e instanceof BaseServerResponseException fhirError
                && fhirError.getStatusCode() >= 400
                && fhirError.getStatusCode() < 500) {
            return new BundleRejectedException(withoutSearchValues(fhirError.getMessage()), e);
        }
        if (e instanceof DataFormatException badContent) {
            // What HAPI's REST layer answers 400: an entry's URL or content it cannot read as FHIR.
            return new BundleRejectedException(withoutSearchValues(badContent.getMessage()), e);
        }
        return e;
    }

    /**
     * HAPI's reason without the values of any search it quotes: a match URL
     * ({@code Patient?identifier=...|35202-4567891-3}) names the patient sought, and the reason goes
     * back to the sender and into the dead letter. {@code Patient?identifier=…} keeps what was searched.
     */
    static String withoutSearchValues(String reason) {
        return reason == null ? null : SEARCH_VALUE.matcher(reason).replaceAll("=…");
    }

    /** SQL state class 40 (serialization failure, deadlock), 55P03 lock not available, 57014 canceled (timeout). */
    private static boolean isTransientState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql
                    && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("40")
                            || sql.getSQLState().equals("55P03")
                            || sql.getSQLState().equals("57014"))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isConnectionFailure(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CannotCreateTransactionException
                    || cause instanceof DataAccessResourceFailureException
                    || cause instanceof SQLTransientConnectionException
                    || cause instanceof org.hibernate.exception.JDBCConnectionException
                    || (cause instanceof SQLException sql && isConnectionState(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** SQL state class 08 is "connection exception"; 57P0x is PostgreSQL shutting down. */
    private static boolean isConnectionState(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P0"));
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(20L * attempt + (long) (Math.random() * 30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SinkUnavailableException("Interrupted while retrying a concurrent write", e);
        }
    }
}
