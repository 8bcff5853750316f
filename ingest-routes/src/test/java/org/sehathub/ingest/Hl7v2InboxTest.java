package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.support.Hl7Messages;
import org.sehathub.ingest.support.RecordingBundleSink;

/** The watched HL7 v2 folder, with real files: single messages, files of messages and batches. */
class Hl7v2InboxTest extends IngestRoutesTestSupport {

    private static Path inbox() throws IOException {
        return Files.createDirectories(INBOX.resolve("hl7v2"));
    }

    private static Path awaitFile(Path path) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(path));
        return path;
    }

    @Test
    void aBatchFileIsStoredMessageByMessageAndItsBatchAcknowledgementWrittenBesideIt() throws Exception {
        Path file = inbox().resolve("night-batch.hl7");
        Files.writeString(
                file,
                "FHS|^~\\&|MAYO-HIS|Mayo Hospital Lahore|||20240315||night.hl7||F-31\r"
                        + "BHS|^~\\&|MAYO-HIS|Mayo Hospital Lahore|||20240315||||B-31\r"
                        + Hl7Messages.registration("Mayo Hospital Lahore", "F-1", "MR-F1")
                        + Hl7Messages.registration("Mayo Hospital Lahore", "F-2", "MR-F2")
                        + "BTS|2\rFTS|1\r");

        String ack = Files.readString(awaitFile(inbox().resolve("done").resolve("night-batch.hl7.ack")));

        assertThat(file).doesNotExist();
        assertThat(inbox().resolve("done").resolve("night-batch.hl7")).exists();
        assertThat(ack)
                .startsWith("FHS|")
                .contains("|F-31\rBHS|")
                .containsSubsequence("MSA|AA|F-1", "MSA|AA|F-2")
                .endsWith("BTS|2\rFTS|1\r");
        assertThat(sink.stored())
                .hasSize(2)
                .allSatisfy(s -> assertThat(s.receipt().sender()).isEqualTo("Mayo Hospital Lahore"));
        assertThat(deadLetters.all()).isEmpty();
    }

    @Test
    void aFileOfMessagesWithARefusedOneGoesToFailedAndOnlyThatMessageIsADeadLetter() throws Exception {
        Path file = inbox().resolve("lab-export.txt");
        Files.writeString(
                file,
                Hl7Messages.registration("Mayo Hospital Lahore", "G-1", "MR-G1").replace('\r', '\n')
                        + Hl7Messages.registration("Mayo Hospital Lahore", "G-2", "MR-G2", "20230230")
                                .replace('\r', '\n'));

        String ack = Files.readString(awaitFile(inbox().resolve("failed").resolve("lab-export.txt.ack")));

        assertThat(ack)
                .as("the messages' ACKs, no batch envelope")
                .startsWith("MSH|")
                .containsSubsequence("MSA|AA|G-1", "MSA|AE|G-2", "PID^1^7");
        assertThat(inbox().resolve("failed").resolve("lab-export.txt")).exists();
        assertThat(sink.stored()).hasSize(1);
        assertThat(deadLetters.all()).singleElement().satisfies(d -> {
            assertThat(d.transport()).isEqualTo("file");
            assertThat(d.messageId()).isEqualTo("G-2");
        });
    }

    @Test
    void aFileThatHoldsNoMessageIsRefusedWithAnAr() throws Exception {
        Files.writeString(inbox().resolve("notes.txt"), "this is not HL7\n");

        String ack = Files.readString(awaitFile(inbox().resolve("failed").resolve("notes.txt.ack")));

        assertThat(ack).contains("MSA|AR").contains("no HL7 v2 message");
        assertThat(sink.stored()).isEmpty();
    }

    @Test
    void aFileThatCannotBeStoredNowStaysAndIsNotStoredTwiceWhenReadAgain() throws Exception {
        sink.mode(RecordingBundleSink.Mode.UNAVAILABLE);
        Path file = inbox().resolve("later.hl7");
        Files.writeString(file, Hl7Messages.registration("Mayo Hospital Lahore", "H-1", "MR-H1"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.calls().size() >= 2);
        assertThat(file).as("left in place for the next poll").exists();
        assertThat(deadLetters.all()).as("the file is its own copy").isEmpty();

        sink.mode(RecordingBundleSink.Mode.NORMAL);

        assertThat(Files.readString(awaitFile(inbox().resolve("done").resolve("later.hl7.ack"))))
                .contains("MSA|AA|H-1");
        assertThat(sink.stored()).hasSize(1);
    }
}
