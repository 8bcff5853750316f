package org.sehathub.server.audit;

import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.sehathub.server.security.TokenEvents;

/**
 * The token endpoint's AuditEvents (DICOM "User Authentication", subtype {@code token}): one per
 * token issued (the client, the grant and the scopes granted) and one per request refused (the
 * client it claimed to be and the OAuth error; never the assertion).
 */
public class TokenAuditEvents implements TokenEvents {

	private final AuditTrail trail;

	public TokenAuditEvents(AuditTrail trail) {
		this.trail = trail;
	}

	@Override
	public void issued(String clientId, String grantType, Set<String> scopes) {
		AuditEvent event = event(clientId, AuditEventOutcome._0, null);
		AuditEvents.about(event, new Reference().setDisplay(grantType + " " + String.join(" ", new TreeSet<>(scopes))));
		trail.record(event);
	}

	@Override
	public void refused(String claimedClient, String error) {
		trail.record(event(claimedClient, AuditEventOutcome._4, error));
	}

	private static AuditEvent event(String clientId, AuditEventOutcome outcome, String detail) {
		return AuditEvents.event(new Coding(AuditEvents.DICOM, "110114", "User Authentication"),
				AuditEvents.subtype("token"), AuditEventAction.E, outcome, detail,
				new Reference().setIdentifier(new Identifier().setSystem(CallerAuditContext.CLIENT_SYSTEM)
						.setValue(clientId == null || clientId.isBlank() ? "unknown" : clientId)));
	}
}
