package org.sehathub.ingest.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.AcknowledgmentCode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.Refusal;
import org.sehathub.mappers.MappingIssue;
import org.sehathub.mappers.hl7v2.Hl7v2Parser;

class AckBuilderTest {

    private final AckBuilder acks = new AckBuilder(Clock.fixed(Instant.parse("2024-03-15T05:30:00Z"), ZoneOffset.UTC));

    private static final String INBOUND =
            "MSH|^~\\&|MAYO-HIS|Mayo Hospital Lahore|SEHATHUB|SEHATHUB-FAC|20240315103000+0500||ADT^A01^ADT_A01|MAYO-1|P|2.3\r"
                    + "PID|1||MR-1^^^Mayo^MR||Raza^Ali||19850412|M\r";

    private static String[] segments(String ack) {
        return ack.split("\r");
    }

    private static String field(String segment, int n) {
        String[] fields = segment.split("\\|", -1);
        // MSH-1 is the separator itself, so MSH field n is at index n - 1.
        return segment.startsWith("MSH") ? fields[n - 1] : fields[n];
    }

    @Test
    void aaSwapsSendingAndReceivingKeepsTheVersionAndEchoesMsh10() {
        AckHeader header = AckHeader.from(new Hl7v2Parser().parse(INBOUND), null);
        String[] ack = segments(acks.build(header, AcknowledgmentCode.AA, List.of()));
        String msh = ack[0];
        assertThat(field(msh, 3)).as("MSH-3 = inbound MSH-5").isEqualTo("SEHATHUB");
        assertThat(field(msh, 4)).as("MSH-4 = inbound MSH-6").isEqualTo("SEHATHUB-FAC");
        assertThat(field(msh, 5)).as("MSH-5 = inbound MSH-3").isEqualTo("MAYO-HIS");
        assertThat(field(msh, 6)).as("MSH-6 = inbound MSH-4").isEqualTo("Mayo Hospital Lahore");
        assertThat(field(msh, 7)).as("MSH-7 in Pakistan time").isEqualTo("20240315103000+0500");
        assertThat(field(msh, 9)).as("MSH-9").isEqualTo("ACK^A01^ACK");
        assertThat(field(msh, 10))
                .as("MSH-10 is the ACK's own id")
                .startsWith("ACK")
                .hasSize(20);
        assertThat(field(msh, 11)).as("MSH-11").isEqualTo("P");
        assertThat(field(msh, 12)).as("MSH-12 keeps the inbound version").isEqualTo("2.3");
        assertThat(ack[1]).as("MSA").isEqualTo("MSA|AA|MAYO-1");
        assertThat(ack).hasSize(2);
    }

    @Test
    void aeNamesSegmentFieldCodeSeverityAndReasonInErr() {
        AckHeader header = AckHeader.from(new Hl7v2Parser().parse(INBOUND), null);
        String[] ack = segments(acks.build(
                header,
                AcknowledgmentCode.AE,
                List.of(new AckBuilder.AckError("PID-3[2].1", "102", "CNIC 3520245678 is invalid: 10 digits"))));
        assertThat(ack[1]).isEqualTo("MSA|AE|MAYO-1");
        String err = ack[2];
        assertThat(field(err, 2))
                .as("ERR-2 segment^sequence^field^repetition^component")
                .isEqualTo("PID^1^3^2^1");
        assertThat(field(err, 3)).as("ERR-3 table 0357").isEqualTo("102^Data type error^HL70357");
        assertThat(field(err, 4)).as("ERR-4 severity").isEqualTo("E");
        assertThat(field(err, 8)).as("ERR-8 user message").isEqualTo("CNIC 3520245678 is invalid: 10 digits");
    }

    @Test
    void arForAnUnparseableMessageStillEchoesWhatTheHeaderSays() {
        byte[] raw = "MSH|^~\\&|APP|FAC|||20240315||ADT^A01|CTRL-9|P|2.4\rPID|this is not|\\E\\broken\r"
                .getBytes(StandardCharsets.ISO_8859_1);
        AckHeader header = AckHeader.fromRaw(raw);
        String[] ack = segments(acks.build(
                header,
                AcknowledgmentCode.AR,
                List.of(new AckBuilder.AckError("MSH", "102", "the message cannot be parsed"))));
        assertThat(field(ack[0], 5)).isEqualTo("APP");
        assertThat(field(ack[0], 12)).isEqualTo("2.4");
        assertThat(ack[1]).isEqualTo("MSA|AR|CTRL-9");
        assertThat(field(ack[2], 2)).as("a whole segment: no field position").isEqualTo("MSH^1");
    }

    @Test
    void theHeaderBehindAUtf8ByteOrderMarkIsRead() {
        byte[] raw = "\uFEFFMSH|^~\\&|APP|Mayo Hospital Lahore|||20240315||ADT^A28|CTRL-BOM|P|2.4\nPID|1\n"
                .getBytes(StandardCharsets.UTF_8);
        AckHeader header = AckHeader.fromRaw(raw);
        assertThat(header.sendingFacility())
                .as("MSH-4, which the sender check reads")
                .isEqualTo("Mayo Hospital Lahore");
        assertThat(header.controlId()).isEqualTo("CTRL-BOM");
    }

    @Test
    void arWithoutAnyHeaderIsStillAnAck() {
        String[] ack = segments(acks.build(
                AckHeader.fromRaw("garbage".getBytes(StandardCharsets.US_ASCII)),
                AcknowledgmentCode.AR,
                List.of(new AckBuilder.AckError("MSH", "100", "does not start with MSH"))));
        assertThat(field(ack[0], 3)).isEqualTo("SEHATHUB");
        assertThat(field(ack[0], 12)).isEqualTo("2.5");
        assertThat(ack[1]).isEqualTo("MSA|AR");
    }

    @Test
    void reasonsWithDelimitersAreEscaped() {
        AckHeader header = AckHeader.from(new Hl7v2Parser().parse(INBOUND), null);
        String ack =
                acks.build(header, AcknowledgmentCode.AE, List.of(new AckBuilder.AckError("PID-7", "102", "a|b^c")));
        assertThat(ack).contains("a\\F\\b\\S\\c");
    }

    @Test
    void mappingFailuresGetCodesByWhatIsWrong() {
        Refusal unmappable =
                new Refusal(Refusal.Kind.UNMAPPABLE, List.of(MappingIssue.error("PID", "no PID segment")), null);
        assertThat(Hl7v2Responder.errorCode(unmappable, unmappable.issues().get(0)))
                .as("missing segment")
                .isEqualTo("100");
        MappingIssue empty = MappingIssue.error(MappingIssue.Kind.MISSING, "MSH-4", "sending facility is empty");
        assertThat(Hl7v2Responder.errorCode(unmappable, empty))
                .as("empty field")
                .isEqualTo("101");
        MappingIssue wrong = MappingIssue.error("PID-7", "birth date 20230230 is not accepted");
        assertThat(Hl7v2Responder.errorCode(unmappable, wrong))
                .as("wrong value")
                .isEqualTo("102");
        MappingIssue notInTable = MappingIssue.warning(
                MappingIssue.Kind.UNKNOWN_CODE, "OBX[1]-8", "abnormal flag 'ZZ' is not in HL7 table 0078");
        assertThat(Hl7v2Responder.mappingCode(notInTable))
                .as("code not in its table")
                .isEqualTo("103");
        MappingIssue wordsDoNotDecide = MappingIssue.error("PID-7", "a required, empty, missing value");
        assertThat(Hl7v2Responder.errorCode(unmappable, wordsDoNotDecide))
                .as("the kind decides, not the wording")
                .isEqualTo("102");
        Refusal conflict = Refusal.of(new org.sehathub.ingest.sink.ConflictingResendException(
                new org.sehathub.ingest.sink.MessageReceipt("hl7v2", "F", "1", "h", "F")));
        assertThat(Hl7v2Responder.errorCode(conflict, conflict.issues().get(0)))
                .as("duplicate key")
                .isEqualTo("205");
        Refusal unknown = Refusal.of(new org.sehathub.ingest.sink.UnknownRecordException(new RuntimeException(
                "HAPI-0972: Invalid match URL[Patient?identifier=x%7CMR-9] - No resources match")));
        assertThat(Hl7v2Responder.errorCode(unknown, unknown.issues().get(0)))
                .as("unknown key")
                .isEqualTo("204");
        assertThat(unknown.kind()).isEqualTo(Refusal.Kind.BUNDLE_REJECTED);
        assertThat(unknown.summary())
                .as("the server's text quotes the identifier sought")
                .doesNotContain("MR-9");
    }

    @Test
    void locationsParseIntoErl() {
        assertThat(Hl7ErrorLocation.parse("OBX[3]-5")).hasValue(new Hl7ErrorLocation("OBX", 3, 5, null, null));
        assertThat(Hl7ErrorLocation.parse("PID-11[1].4")).hasValue(new Hl7ErrorLocation("PID", 1, 11, 1, 4));
        assertThat(Hl7ErrorLocation.parse("ZPK[1]")).hasValue(new Hl7ErrorLocation("ZPK", 1, null, null, null));
        assertThat(Hl7ErrorLocation.parse("storage")).isEmpty();
        assertThat(Hl7ErrorLocation.parse("line 5, column cnic")).isEmpty();
    }
}
