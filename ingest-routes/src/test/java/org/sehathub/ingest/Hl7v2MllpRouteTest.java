package org.sehathub.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sehathub.ingest.deadletter.DeadLetter;
import org.sehathub.ingest.support.Hl7Messages;
import org.sehathub.ingest.support.MllpClient;

class Hl7v2MllpRouteTest extends IngestRoutesTestSupport {

	static String segment(String ack, String id) {
		return List.of(ack.split("\r")).stream().filter(s -> s.startsWith(id + "|")).findFirst().orElse(null);
	}

	@Test
	void acknowledgesAaOnlyAfterTheBundleWasStored() throws Exception {
		try (MllpClient client = new MllpClient(MLLP_PORT)) {
			String ack = client.send(Hl7Messages.registration("Mayo Hospital Lahore", "MSG-1", "MR-1"));
			assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|MSG-1");
			assertThat(sink.stored()).hasSize(1);
			assertThat(sink.stored().get(0).receipt().messageId()).isEqualTo("MSG-1");
			assertThat(sink.stored().get(0).receipt().sender()).isEqualTo("Mayo Hospital Lahore");
			assertThat(deadLetters.all()).isEmpty();
		}
	}

	@Test
	void refusesAMappingFailureWithAeAndKeepsIt() throws Exception {
		try (MllpClient client = new MllpClient(MLLP_PORT)) {
			String ack = client.send(Hl7Messages.registration("Mayo Hospital Lahore", "MSG-2", "MR-2", "20230230"));
			assertThat(segment(ack, "MSA")).isEqualTo("MSA|AE|MSG-2");
			assertThat(segment(ack, "ERR")).startsWith("ERR||PID^1^7^1|102^Data type error^HL70357|E||||");
			assertThat(sink.stored()).isEmpty();
			assertThat(deadLetters.all()).singleElement().satisfies(d -> {
				assertThat(d.source()).isEqualTo("hl7v2");
				assertThat(d.transport()).isEqualTo("mllp");
				assertThat(d.messageId()).isEqualTo("MSG-2");
				assertThat(d.reason()).startsWith("PID-7:");
				assertThat(d.status()).isEqualTo(DeadLetter.Status.NEW);
			});
		}
	}
}
