package org.sehathub.ingest.fhir;

import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.sehathub.ingest.InFlight;
import org.sehathub.ingest.Inbound;
import org.sehathub.mappers.MappingIssue;

/**
 * A transaction Bundle parsed, not yet normalized: the step between {@link FhirBundleTranslator#read}
 * and {@link FhirBundleTranslator#map}.
 *
 * @param inbound the message, identified by {@code Bundle.identifier} or its content
 * @param contentHash SHA-256 of the Bundle as parsed, encoded as JSON: the same whether it came as
 *     JSON or XML
 * @param parseWarnings what the parser dropped (elements FHIR R4 does not define)
 */
public record FhirBundle(Inbound inbound, Bundle bundle, String contentHash, List<MappingIssue> parseWarnings)
        implements InFlight {}
