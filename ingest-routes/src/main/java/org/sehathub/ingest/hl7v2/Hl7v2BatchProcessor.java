package org.sehathub.ingest.hl7v2;

import ca.uhn.hl7v2.AcknowledgmentCode;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mllp.MllpConstants;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.ingest.MessageRejectedException;
import org.sehathub.ingest.http.HttpRequests;
import org.sehathub.mappers.hl7v2.Hl7v2Batch;

/**
 * An HL7 v2 batch (FHS/BHS ... BTS/FTS) over HTTP. Each message goes through the one-message route
 * on its own ({@link #MEMBER}, then {@link Hl7v2Route#PROCESS}): stored, acknowledged, refused and
 * kept as a dead letter exactly as if it had been sent alone, so one bad message costs nobody
 * else's. The sender gets one batch acknowledgement with every message's ACK in order and HTTP 200:
 * the ACKs, not the status, say what became of each message.
 */
public class Hl7v2BatchProcessor {

    /** The route one message of an HTTP batch enters. */
    public static final String MEMBER = "direct:hl7v2-batch-member";
    /** The route one message of an inbox file enters. */
    public static final String FILE_MEMBER = "direct:hl7v2-file-member";

    /**
     * One message of a batch or file on its way to the member route, received when the whole was.
     *
     * @param message its bytes, cut out of the whole
     */
    public record Member(byte[] message, Instant receivedAt) {}

    private final AckBuilder acks;
    private ProducerTemplate producer;

    public Hl7v2BatchProcessor(AckBuilder acks) {
        this.acks = acks;
    }

    /** True when the exchange's message is a batch rather than one message. */
    public static boolean isBatch(Exchange exchange) {
        return Hl7v2Batch.isBatch(InFlight.body(exchange, Inbound.class).payload());
    }

    /** An HTTP batch: answered with the batch acknowledgement, HTTP 200. */
    public void process(Exchange exchange) {
        Inbound batch = InFlight.body(exchange, Inbound.class);
        Hl7v2Batch split = Hl7v2Batch.split(batch.payload());
        List<Exchange> members = each(exchange, split, MEMBER);
        String response =
                acks.batch(split.fileHeader(), split.batchHeader(), answers(members, split), split.problems());
        HttpRequests.response(
                exchange,
                200,
                Hl7v2Responder.MEDIA_TYPE + "; charset=UTF-8",
                response.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A file from the inbox: a batch, several messages one after the other, or one message. Its
     * acknowledgement (a batch ACK when the file was a batch, else the messages' ACKs one after the
     * other) goes beside the archived file. When a message could not be stored for want of the
     * database, the file stays in the inbox and is read again whole: the messages stored before are
     * then recognised by their MSH-10 and not stored twice.
     */
    public Hl7v2FileAnswer processFile(Exchange exchange) throws Exception {
        Inbound file = InFlight.body(exchange, Inbound.class);
        Hl7v2Batch split = Hl7v2Batch.split(file.payload());
        boolean batch = split.fileHeader() != null || split.batchHeader() != null;
        if (split.messages().isEmpty() && !batch) {
            throw new MessageRejectedException(
                    "MSH", "the file holds no HL7 v2 message (no segment starts with MSH, FHS or BHS)", "100");
        }
        List<Exchange> members = each(exchange, split, FILE_MEMBER);
        for (Exchange member : members) {
            if (member.getException() != null) {
                throw member.getException();
            }
        }
        List<String> answers = answers(members, split);
        String ack = batch
                ? acks.batch(split.fileHeader(), split.batchHeader(), answers, split.problems())
                : String.join("", answers);
        // A member that was refused ended with its Refused (answered); one stored, with its ACK.
        boolean anyRefused = members.stream().anyMatch(m -> m.getProperty(Exchange.EXCEPTION_CAUGHT) != null);
        return new Hl7v2FileAnswer(file, ack.getBytes(StandardCharsets.UTF_8), anyRefused);
    }

    /**
     * Sends each message through {@code route} on its own exchange, in order; stops after a message
     * that failed without being answered (a file waiting for the database).
     */
    private List<Exchange> each(Exchange exchange, Hl7v2Batch split, String route) {
        Instant receivedAt = InFlight.body(exchange, Inbound.class).receivedAt();
        ProducerTemplate producer = producer(exchange);
        List<Exchange> members = new ArrayList<>();
        for (byte[] message : split.messages()) {
            // A copy keeps the HTTP request, so the sender is checked and audited as for one message.
            Exchange member = exchange.copy();
            member.getMessage().setBody(new Member(message, receivedAt));
            producer.send(route, member);
            members.add(member);
            if (member.getException() != null) {
                break;
            }
        }
        return members;
    }

    /** One template for every batch (it is thread-safe), made with the first batch's context. */
    private synchronized ProducerTemplate producer(Exchange exchange) {
        if (producer == null) {
            producer = exchange.getContext().createProducerTemplate();
        }
        return producer;
    }

    private List<String> answers(List<Exchange> members, Hl7v2Batch split) {
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            answers.add(answer(members.get(i), split.messages().get(i)));
        }
        return answers;
    }

    /**
     * The ACK the one-message route answered with (its responder always sets one), decoded in the
     * charset it was encoded in (the one its Content-Type names).
     */
    private String answer(Exchange member, byte[] message) {
        byte[] ack = member.getProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, byte[].class);
        if (ack != null) {
            return new String(ack, charset(member));
        }
        return acks.build(
                AckHeader.fromRaw(message),
                AcknowledgmentCode.AE,
                List.of(new AckBuilder.AckError(null, "207", "the message could not be processed")));
    }

    private static Charset charset(Exchange member) {
        String contentType = member.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        int at = contentType.indexOf("charset=");
        return at < 0
                ? StandardCharsets.UTF_8
                : Charset.forName(contentType.substring(at + 8).strip());
    }
}
