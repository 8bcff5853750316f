package org.sehathub.server.ingest;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.sehathub.ingest.sink.MessageReceipt;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code sehat_message_receipt} table: which messages are stored, with their content hash and
 * the resources they wrote. {@link #find} runs before HAPI's transaction starts; {@link #insert} runs
 * inside it (from {@link ReceiptWriter}), on the transaction's own connection, so the row commits or
 * rolls back with the resources.
 */
public class MessageReceipts {

    /** A receipt found for a message id. */
    record Stored(String contentHash, List<String> resourceIds) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public MessageReceipts(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    Optional<Stored> find(MessageReceipt receipt) {
        return jdbc
                .query(
                        "SELECT content_hash, resource_ids FROM sehat_message_receipt"
                                + " WHERE channel = ? AND sender = ? AND message_id = ?",
                        (rs, row) -> new Stored(rs.getString(1).trim(), split(rs.getString(2))),
                        receipt.channel(),
                        receipt.sender(),
                        receipt.messageId())
                .stream()
                .findFirst();
    }

    /** Fails with a duplicate-key error when a concurrent transaction recorded the same message. */
    void insert(MessageReceipt receipt, List<String> resourceIds) {
        jdbc.update(
                "INSERT INTO sehat_message_receipt"
                        + " (channel, sender, message_id, content_hash, resource_ids, stored_at) VALUES (?, ?, ?, ?, ?, ?)",
                receipt.channel(),
                receipt.sender(),
                receipt.messageId(),
                receipt.contentHash(),
                String.join("\n", resourceIds),
                OffsetDateTime.now(clock));
    }

    private static List<String> split(String ids) {
        return ids.isEmpty() ? List.of() : Arrays.asList(ids.split("\n"));
    }
}
