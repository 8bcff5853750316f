package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.support.Hl7Messages;
import org.sehathub.ingest.support.MllpClient;
import org.sehathub.ingest.support.RecordingBundleSink;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** HL7 v2 over real MLLP sockets into the route, with the test sink and dead-letter store. */
@ExtendWith(OutputCaptureExtension.class)
class Hl7v2MllpRouteTest extends IngestRoutesTestSupport {

    private static final String MAYO = "Mayo Hospital Lahore";

    static String segment(String ack, String id) {
        return List.of(ack.split("\r")).stream()
                .filter(s -> s.startsWith(id + "|"))
                .findFirst()
                .orElse(null);
    }

    static String msa(String ack) {
        return segment(ack, "MSA");
    }

    @Test
    void acknowledgesAaOnlyAfterTheBundleWasStored() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(Hl7Messages.registration(MAYO, "MSG-1", "MR-1"));
            assertThat(msa(ack)).isEqualTo("MSA|AA|MSG-1");
            assertThat(sink.stored()).hasSize(1);
            assertThat(sink.stored().get(0).receipt().messageId()).isEqualTo("MSG-1");
            assertThat(sink.stored().get(0).receipt().sender()).isEqualTo(MAYO);
            assertThat(deadLetters.all()).isEmpty();
        }
    }

    @Test
    void anOptionalFieldThatFailsItsCheckIsLeftOutAndNamedInAWarningOfTheAa() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            // A 10-digit "CNIC" beside a good MRN: stored without it, the sender told where and why.
            String message = Hl7Messages.registration(MAYO, "MSG-W", "MR-W")
                    .replace("35202-4567891-3^^^NADRA^NI", "3520245678^^^NADRA^NI");
            String ack = client.send(message);
            assertThat(msa(ack)).isEqualTo("MSA|AA|MSG-W");
            assertThat(segment(ack, "ERR"))
                    .startsWith("ERR||PID^1^3^2|102^Data type error^HL70357|W||||CNIC 3520245678 is invalid");
            assertThat(sink.stored()).hasSize(1);
            assertThat(deadLetters.all()).isEmpty();
        }
    }

    @Test
    void refusesAMappingFailureWithAeAndKeepsIt() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(Hl7Messages.registration(MAYO, "MSG-2", "MR-2", "20230230"));
            assertThat(msa(ack)).isEqualTo("MSA|AE|MSG-2");
            assertThat(segment(ack, "ERR")).startsWith("ERR||PID^1^7^1|102^Data type error^HL70357|E||||");
            assertThat(sink.stored()).isEmpty();
            assertThat(deadLetters.all()).singleElement().satisfies(d -> {
                assertThat(d.source()).isEqualTo("hl7v2");
                assertThat(d.transport()).isEqualTo("mllp");
                assertThat(d.sender()).isEqualTo(MAYO);
                assertThat(d.messageId()).isEqualTo("MSG-2");
                assertThat(d.reason()).startsWith("PID-7:");
                assertThat(d.status()).isEqualTo(DeadLetter.Status.NEW);
                assertThat(new String(d.payload(), StandardCharsets.UTF_8)).startsWith("MSH|");
            });
        }
    }

    @Test
    void rejectsAnUnparseableMessageWithAr() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send("PID|1||no header at all\r");
            assertThat(msa(ack)).isEqualTo("MSA|AR");
            assertThat(segment(ack, "ERR")).contains("|100^Segment sequence error^HL70357|E|");
            assertThat(deadLetters.all())
                    .singleElement()
                    .satisfies(d -> assertThat(d.reason()).startsWith("MSH:"));
        }
    }

    @Test
    void rejectsAnUnsupportedMessageTypeVersionOrProcessingIdWithAr() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String type =
                    client.send(Hl7Messages.msh(MAYO, "T-1", "RDE^O11^RDE_O11", "P", "2.5") + "PID|1||MR-1^^^X^MR\r");
            assertThat(msa(type)).isEqualTo("MSA|AR|T-1");
            assertThat(segment(type, "ERR")).contains("|MSH^1^9^1|200^Unsupported message type^HL70357|E|");

            String event =
                    client.send(Hl7Messages.msh(MAYO, "T-2", "ADT^A99^ADT_A01", "P", "2.5") + "PID|1||MR-1^^^X^MR\r");
            assertThat(segment(event, "ERR")).contains("|201^Unsupported event code^HL70357|");

            String version =
                    client.send(Hl7Messages.msh(MAYO, "T-3", "ADT^A04^ADT_A01", "P", "2.9") + "PID|1||MR-1^^^X^MR\r");
            assertThat(msa(version)).isEqualTo("MSA|AR|T-3");
            assertThat(segment(version, "ERR")).contains("|MSH^1^12^1|203^Unsupported version id^HL70357|");
            assertThat(version.split("\r")[0].split("\\|")[11])
                    .as("the ACK keeps the sender's version")
                    .isEqualTo("2.9");

            String processing =
                    client.send(Hl7Messages.registration(MAYO, "T-4", "MR-4").replace("|T-4|P|", "|T-4|T|"));
            assertThat(msa(processing)).isEqualTo("MSA|AR|T-4");
            assertThat(segment(processing, "ERR")).contains("|MSH^1^11^1|202^Unsupported processing id^HL70357|");
        }
        assertThat(sink.stored()).isEmpty();
        assertThat(deadLetters.all()).hasSize(4);
    }

    @Test
    void aResendIsAcknowledgedAgainAndStoresNothingNew() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String message = Hl7Messages.registration(MAYO, "MSG-3", "MR-3");
            assertThat(msa(client.send(message))).isEqualTo("MSA|AA|MSG-3");
            assertThat(msa(client.send(message))).isEqualTo("MSA|AA|MSG-3");
            // The same message with CRLF segment ends is still the same message.
            assertThat(msa(client.send(message.replace("\r", "\r\n")))).isEqualTo("MSA|AA|MSG-3");
        }
        assertThat(sink.stored()).hasSize(1);
        assertThat(sink.calls()).hasSize(3);
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void theSameControlIdWithOtherContentIsRefusedWithAe() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(msa(client.send(Hl7Messages.registration(MAYO, "MSG-4", "MR-4"))))
                    .isEqualTo("MSA|AA|MSG-4");
            String ack = client.send(Hl7Messages.registration(MAYO, "MSG-4", "MR-OTHER"));
            assertThat(msa(ack)).isEqualTo("MSA|AE|MSG-4");
            assertThat(segment(ack, "ERR")).contains("|205^Duplicate key identifier^HL70357|E|");
        }
        assertThat(sink.stored()).hasSize(1);
        assertThat(deadLetters.all())
                .singleElement()
                .satisfies(d -> assertThat(d.reason()).contains("different content"));
    }

    @Test
    void storageUnavailableOrBundleRefusedIsAeNeverAa() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
            String down = client.send(Hl7Messages.registration(MAYO, "MSG-5", "MR-5"));
            assertThat(msa(down)).isEqualTo("MSA|AE|MSG-5");
            assertThat(segment(down, "ERR"))
                    .contains("|207^Application internal error^HL70357|E|")
                    .contains("storage unavailable");

            sink.mode(RecordingBundleSink.Mode.REJECT);
            String rejected = client.send(Hl7Messages.registration(MAYO, "MSG-6", "MR-6"));
            assertThat(msa(rejected)).isEqualTo("MSA|AE|MSG-6");

            // The database is back: the resend is stored once.
            sink.mode(RecordingBundleSink.Mode.NORMAL);
            assertThat(msa(client.send(Hl7Messages.registration(MAYO, "MSG-5", "MR-5"))))
                    .isEqualTo("MSA|AA|MSG-5");
        }
        assertThat(sink.stored()).hasSize(1);
        assertThat(deadLetters.all())
                .extracting(DeadLetter::reason)
                .anySatisfy(r -> assertThat(r).startsWith("storage: storage unavailable"))
                .anySatisfy(r -> assertThat(r).contains("invalid reference"));
    }

    @Test
    void keepsTheAnswerWhenTheDeadLetterStoreIsDownToo() throws Exception {
        sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
        deadLetters.unavailable(true);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(msa(client.send(Hl7Messages.registration(MAYO, "MSG-7", "MR-7"))))
                    .isEqualTo("MSA|AE|MSG-7");
        }
    }

    @Test
    void storesTheMessagesOfOneConnectionInTheOrderSent() throws Exception {
        // After each AA the sink must already hold exactly the messages sent so far, in order: a
        // server that answered before storing, or stored on other threads, fails here.
        List<String> sent = new ArrayList<>();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            for (int i = 0; i < 10; i++) {
                String id = "ORD-" + i;
                sent.add(id);
                assertThat(msa(client.send(Hl7Messages.registration(MAYO, id, "MR-ORDER"))))
                        .isEqualTo("MSA|AA|" + id);
                assertThat(sink.stored())
                        .extracting(s -> s.receipt().messageId())
                        .containsExactlyElementsOf(sent);
            }
        }
    }

    @Test
    void aFrameSentBeforeThePreviousOneIsAcknowledgedIsNeitherAcknowledgedNorStored() throws Exception {
        // MLLP (original mode) has the sender wait for each ACK; camel-mllp drops bytes that follow a
        // complete frame in the same read. Nothing unacknowledged is kept, so the sender's resend is
        // the recovery (docs/ingest/transports.md).
        java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        frames.write(MllpClient.frame(
                Hl7Messages.registration(MAYO, "PIPE-1", "MR-P").getBytes(StandardCharsets.UTF_8)));
        frames.write(MllpClient.frame(
                Hl7Messages.registration(MAYO, "PIPE-2", "MR-P").getBytes(StandardCharsets.UTF_8)));
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            client.timeout(5000);
            client.sendRaw(frames.toByteArray());
            assertThat(msa(client.readAck())).isEqualTo("MSA|AA|PIPE-1");
        }
        assertThat(sink.stored()).extracting(s -> s.receipt().messageId()).containsExactly("PIPE-1");
    }

    @Test
    void acknowledgesEightConcurrentConnections() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> results = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                int connection = c;
                Callable<List<String>> sender = () -> {
                    List<String> acks = new ArrayList<>();
                    try (MllpClient client = new MllpClient(MLLP_PORT)) {
                        for (int m = 0; m < 5; m++) {
                            acks.add(msa(client.send(Hl7Messages.registration(
                                    "Facility " + connection,
                                    "C" + connection + "-" + m,
                                    "MR-" + connection + "-" + m))));
                        }
                    }
                    return acks;
                };
                results.add(pool.submit(sender));
            }
            for (int c = 0; c < 8; c++) {
                List<String> acks = results.get(c).get();
                for (int m = 0; m < 5; m++) {
                    assertThat(acks.get(m)).isEqualTo("MSA|AA|C" + c + "-" + m);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sink.stored()).hasSize(40);
        for (int c = 0; c < 8; c++) {
            String facility = "Facility " + c;
            assertThat(sink.stored())
                    .filteredOn(s -> s.receipt().sender().equals(facility))
                    .extracting(s -> s.receipt().messageId())
                    .as("per-connection order")
                    .containsExactly("C" + c + "-0", "C" + c + "-1", "C" + c + "-2", "C" + c + "-3", "C" + c + "-4");
        }
    }

    @Test
    void brokenFramingOnOneConnectionDoesNotDisturbAnother(CapturedOutput output) throws Exception {
        try (MllpClient good = new MllpClient(MLLP_PORT);
                MllpClient broken = new MllpClient(MLLP_PORT)) {
            assertThat(msa(good.send(Hl7Messages.registration(MAYO, "G-1", "MR-G"))))
                    .isEqualTo("MSA|AA|G-1");
            // A frame that starts and never ends: reset once the read timeout has passed.
            broken.sendRaw(("\u000b" + Hl7Messages.registration(MAYO, "B-1", "MR-B")).getBytes(StandardCharsets.UTF_8));
            assertThat(msa(good.send(Hl7Messages.registration(MAYO, "G-2", "MR-G"))))
                    .isEqualTo("MSA|AA|G-2");
            await().atMost(Duration.ofSeconds(10)).until(broken::closedByServer);
            assertThat(msa(good.send(Hl7Messages.registration(MAYO, "G-3", "MR-G"))))
                    .isEqualTo("MSA|AA|G-3");
        }
        try (MllpClient junk = new MllpClient(MLLP_PORT);
                MllpClient good = new MllpClient(MLLP_PORT)) {
            // Bytes outside any frame are not a message.
            junk.sendRaw("hello, is this the lab?\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(msa(good.send(Hl7Messages.registration(MAYO, "G-4", "MR-G"))))
                    .isEqualTo("MSA|AA|G-4");
        }
        assertThat(sink.stored()).extracting(s -> s.receipt().messageId()).containsExactly("G-1", "G-2", "G-3", "G-4");
        assertThat(output.getOut())
                .as("camel-mllp logs no payload")
                .doesNotContain("35202-4567891-3")
                .doesNotContain("is this the lab");
    }

    @Test
    void refusesAMessageOverTheLimitWithAr() throws Exception {
        String big =
                Hl7Messages.registration(MAYO, "BIG-1", "MR-BIG") + "NTE|1||" + "x".repeat(MAX_MESSAGE_BYTES) + "\r";
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(big);
            assertThat(msa(ack)).isEqualTo("MSA|AR|BIG-1");
            assertThat(segment(ack, "ERR")).contains("|104^Value too long^HL70357|E|");
            assertThat(msa(client.send(Hl7Messages.registration(MAYO, "OK-0", "MR-OK"))))
                    .isEqualTo("MSA|AA|OK-0");
        }
        assertThat(sink.stored()).extracting(s -> s.receipt().messageId()).containsExactly("OK-0");
    }

    @Test
    void dropsAFarTooLargeMessageWithoutHarmingOtherConnections() throws Exception {
        String huge = Hl7Messages.registration(MAYO, "HUGE-1", "MR-BIG") + "NTE|1||" + "x".repeat(3 * MAX_MESSAGE_BYTES)
                + "\r";
        try (MllpClient big = new MllpClient(MLLP_PORT).timeout(3_000);
                MllpClient good = new MllpClient(MLLP_PORT)) {
            assertThat(msa(good.send(Hl7Messages.registration(MAYO, "OK-1", "MR-OK"))))
                    .isEqualTo("MSA|AA|OK-1");
            try {
                big.sendRaw(MllpClient.frame(huge.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException reset) {
                // The server may reset the connection while the rest is still being written.
            }
            assertThat(msa(good.send(Hl7Messages.registration(MAYO, "OK-2", "MR-OK"))))
                    .isEqualTo("MSA|AA|OK-2");
            String answer;
            try {
                answer = big.readAck();
            } catch (IOException resetOrTimeout) {
                answer = null;
            }
            assertThat(answer)
                    .as("no acknowledgement for a message far over the limit")
                    .isNull();
        }
        assertThat(sink.stored()).extracting(s -> s.receipt().messageId()).containsExactly("OK-1", "OK-2");
    }

    @Test
    void oneMoreConnectionThanAPeerMayHoldIsResetAndItsOtherConnectionsCarryOn() throws Exception {
        List<MllpClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS_PER_PEER; i++) {
                MllpClient client = new MllpClient(MLLP_PORT);
                open.add(client);
                assertThat(msa(client.send(Hl7Messages.registration(MAYO, "CAP-" + i, "MR-C" + i))))
                        .isEqualTo("MSA|AA|CAP-" + i);
            }
            String answer;
            // The reset may come while connecting or while sending: either way, no acknowledgement.
            try (MllpClient extra = new MllpClient(MLLP_PORT)) {
                answer = extra.send(Hl7Messages.registration(MAYO, "CAP-EXTRA", "MR-CX"));
            } catch (IOException e) {
                answer = null;
            }
            assertThat(answer)
                    .as("no acknowledgement on a connection over the cap")
                    .isNull();
            assertThat(msa(open.get(0).send(Hl7Messages.registration(MAYO, "CAP-AGAIN", "MR-C0"))))
                    .isEqualTo("MSA|AA|CAP-AGAIN");

            open.remove(open.size() - 1).close();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                try (MllpClient next = new MllpClient(MLLP_PORT)) {
                    assertThat(msa(next.send(Hl7Messages.registration(MAYO, "CAP-NEXT", "MR-CN"))))
                            .isEqualTo("MSA|AA|CAP-NEXT");
                }
            });
        } finally {
            for (MllpClient client : open) {
                client.close();
            }
        }
        assertThat(sink.stored()).extracting(s -> s.receipt().messageId()).doesNotContain("CAP-EXTRA");
    }

    @Test
    void aMessageWithMoreObxThanAllowedIsRefusedWithArAndNotKept() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String within = Hl7Messages.registrationWith(
                    MAYO, "OBX-OK", MAX_OBX, i -> "OBX|" + i + "|NM|8867-4^Heart rate^LN||72|/min|||||F");
            assertThat(msa(client.send(within))).isEqualTo("MSA|AA|OBX-OK");

            String over = Hl7Messages.registrationWith(
                    MAYO, "OBX-MANY", MAX_OBX + 1, i -> "OBX|" + i + "|NM|8867-4^Heart rate^LN||72|/min|||||F");
            String ack = client.send(over);
            assertThat(msa(ack)).isEqualTo("MSA|AR|OBX-MANY");
            assertThat(segment(ack, "ERR"))
                    .contains("104^Value too long^HL70357")
                    .contains("sehat.ingest.hl7v2.max-obx");
        }
        assertThat(sink.stored()).extracting(s -> s.receipt().messageId()).containsExactly("OBX-OK");
        assertThat(deadLetters.all()).as("over a limit: not kept").isEmpty();
    }

    @Test
    void closesAnIdleConnection() throws Exception {
        try (MllpClient idle = new MllpClient(MLLP_PORT)) {
            assertThat(msa(idle.send(Hl7Messages.registration(MAYO, "IDLE-1", "MR-I"))))
                    .isEqualTo("MSA|AA|IDLE-1");
            await().atMost(Duration.ofSeconds(15)).until(idle::closedByServer);
        }
    }

    @Test
    void logsARefusalWithoutThePatientsIdentity(CapturedOutput output) throws Exception {
        String cnic = "3520245678";
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(Hl7Messages.invalidCnicOnly(MAYO, "PHI-1", cnic));
            assertThat(msa(ack)).startsWith("MSA|AE|PHI-1");
            assertThat(ack).as("the sender is told the value").contains(cnic);
        }
        assertThat(output.getOut()).contains("refused route=hl7v2-mllp-inbound").contains("messageId=PHI-1");
        assertThat(output.getOut() + output.getErr()).doesNotContain(cnic).doesNotContain("Raza");
    }
}
