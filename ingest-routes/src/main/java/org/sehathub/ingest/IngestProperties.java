package org.sehathub.ingest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The ingest settings, under {@code sehat.ingest}. Every key is listed with its default at the end
 * of docs/ingest/transports.md.
 *
 * @param enabled false starts none of the ingest routes (the FHIR server runs alone)
 * @param mllp HL7 v2 over MLLP
 * @param hl7v2 HL7 v2 rules shared by MLLP and HTTP
 * @param http the HTTP entry points
 * @param csv the clinic CSV watched folders
 * @param deadLetters how long and how many refused messages are kept
 */
@Validated
@ConfigurationProperties("sehat.ingest")
public record IngestProperties(
        @DefaultValue("true") boolean enabled,
        @Valid @NotNull @DefaultValue Mllp mllp,
        @Valid @NotNull @DefaultValue Hl7v2 hl7v2,
        @Valid @NotNull @DefaultValue Http http,
        @Valid @NotNull @DefaultValue Csv csv,
        @Valid @NotNull @DefaultValue DeadLetters deadLetters) {

    /**
     * The dead-letter store's bounds: refused messages hold identities, so they are not kept forever,
     * and a flood of refusals cannot fill the disk.
     *
     * @param retention a dead letter older than this is deleted, whatever its status
     * @param maxCount at most this many are kept; beyond it the oldest go first
     */
    public record DeadLetters(
            @NotNull @DefaultValue("180d") Duration retention,
            @Min(100) @DefaultValue("100000") int maxCount) {}

    /**
     * HL7 v2 over MLLP.
     *
     * @param enabled false opens no MLLP port
     * @param host the address to listen on; loopback unless an operator opens it up
     * @param port the TCP port
     * @param maxConnections connections served at once; one more is accepted and reset at once
     * @param maxConnectionsPerPeer connections one peer address may hold open at once; one more is
     *     reset before anything is read from it, so one sender cannot take every slot
     * @param maxMessageBytes the largest message (without MLLP framing) accepted; up to twice this
     *     a bigger one is read and refused with AR (ERR-3 104), beyond that the connection is reset
     *     without an acknowledgement; other connections carry on either way
     * @param idleTimeout a connection that sends nothing for this long is closed
     * @param readTimeout once a message has started, the rest of it must arrive within this time,
     *     otherwise the frame is treated as broken and the connection reset
     * @param tls MLLP over TLS with client certificates
     */
    public record Mllp(
            @DefaultValue("true") boolean enabled,
            @NotBlank @DefaultValue("127.0.0.1") String host,
            @Min(0) @Max(65535) @DefaultValue("2575") int port,
            @Min(1) @DefaultValue("50") int maxConnections,
            @Min(1) @DefaultValue("10") int maxConnectionsPerPeer,
            @Min(1024) @DefaultValue("1048576") int maxMessageBytes,
            @NotNull @DefaultValue("10m") Duration idleTimeout,
            @NotNull @DefaultValue("5s") Duration readTimeout,
            @Valid @NotNull @DefaultValue Tls tls) {}

    /**
     * MLLP over TLS: the listener presents the server's certificate and requires one from every
     * sender, signed by a certificate authority in the trust store; which facilities each
     * certificate may send for is the server's sender registry (docs/security.md).
     *
     * @param enabled true makes the MLLP port TLS only
     * @param keyStore the server's key and certificate (PKCS12 unless {@code keyStoreType} says)
     * @param keyStorePassword its password; from the environment ({@code SEHAT_INGEST_MLLP_TLS_KEYSTOREPASSWORD})
     * @param keyStoreType the key store's type
     * @param trustStore the certificate authorities that sign senders' certificates
     * @param trustStorePassword its password; from the environment
     * @param handshakeTimeout a peer that has not completed the TLS handshake with a valid client
     *     certificate this long after connecting is disconnected (the idle timeout is for senders
     *     that have authenticated)
     */
    public record Tls(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("") String keyStore,
            @DefaultValue("") String keyStorePassword,
            @DefaultValue("PKCS12") String keyStoreType,
            @DefaultValue("") String trustStore,
            @DefaultValue("") String trustStorePassword,
            @NotNull @DefaultValue("10s") Duration handshakeTimeout) {}

    /**
     * HL7 v2 rules for every transport.
     *
     * @param processingIds MSH-11 values accepted (P production, T training, D debugging); any other
     *     is rejected with AR (ERR-3 202), so test traffic never lands in the production record by
     *     mistake; an operator who lists T or D gets those messages stored with every resource tagged
     *     {@code v3-ActReason#HTEST} (test health data)
     * @param maxSegments the most segments a message may hold; more is refused with AR (ERR-3 104)
     * @param maxObx the most OBX segments a message may hold; more is refused likewise
     * @param inbox the watched folder for HL7 v2 files (one message, several, or a batch)
     */
    public record Hl7v2(
            @NotEmpty @DefaultValue("P") Set<String> processingIds,
            @Min(10) @DefaultValue("5000") int maxSegments,
            @Min(1) @DefaultValue("2000") int maxObx,
            @Valid @NotNull @DefaultValue Inbox inbox) {}

    /**
     * A watched folder.
     *
     * @param enabled false watches no folder
     * @param dir the folder; empty means {@code ${sehat.data-dir}/inbox/hl7v2}
     * @param pollDelay how often the folder is looked at
     * @param readLockInterval a file is read only once its size and modification time stayed the
     *     same for this long, so a file still being copied in is never read half-written
     */
    public record Inbox(
            @DefaultValue("true") boolean enabled,
            Path dir,
            @NotNull @DefaultValue("5s") Duration pollDelay,
            @NotNull @DefaultValue("2s") Duration readLockInterval) {}

    /**
     * The HTTP entry points ({@code /ingest/hl7v2}, {@code /ingest/csv/{layout}},
     * {@code /ingest/telehealth/consultations}).
     *
     * @param enabled false serves none of them (the dead-letter API stays)
     * @param maxBodyBytes the largest request body accepted; larger ones get 413
     */
    public record Http(
            @DefaultValue("true") boolean enabled,
            @Min(1024) @DefaultValue("10485760") int maxBodyBytes) {}

    /**
     * Clinic CSV watched folders.
     *
     * @param enabled false watches no folder (HTTP uploads still work)
     * @param inboxDir the folder holding one sub-folder per layout; empty means
     *     {@code ${sehat.data-dir}/inbox/csv}
     * @param pollDelay how often each folder is looked at
     * @param readLockInterval a file is read only once its size and modification time stayed the
     *     same for this long, so a file still being copied in is never read half-written
     * @param maxRows the most data rows one file may hold (every row of a file is stored in one
     *     transaction); a bigger file is refused as too large, whichever way it came
     */
    public record Csv(
            @DefaultValue("true") boolean enabled,
            Path inboxDir,
            @NotNull @DefaultValue("5s") Duration pollDelay,
            @NotNull @DefaultValue("2s") Duration readLockInterval,
            @Min(1) @DefaultValue("2500") int maxRows) {}
}
