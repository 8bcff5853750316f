package ca.uhn.fhir.jpa.dao;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.model.entity.ResourceEncodingEnum;
import com.google.common.hash.HashCode;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.sehathub.server.storage.TransactionFirstPass;

/**
 * HAPI's resource encoder, which does not encode a new resource in the first pass of a FHIR
 * transaction ({@link TransactionFirstPass}): HAPI discards that JSON and encodes the resource
 * again, references rewritten, in the second pass. In this package because the method HAPI calls is
 * package-private.
 *
 * <p>The first pass gets a hash no JSON has (all zeros), so the second pass always sees the resource
 * as changed and stores its JSON, full text and index flags from the final resource.
 */
public class EncodeOnceHistoryCalculator extends ResourceHistoryCalculator {

    static final HashCode NOT_ENCODED = HashCode.fromBytes(new byte[32]);

    public EncodeOnceHistoryCalculator(FhirContext context, boolean oracleDialect) {
        super(context, oracleDialect);
    }

    @Override
    ResourceHistoryState calculateResourceHistoryState(
            IBaseResource resource, ResourceEncodingEnum encoding, List<String> excludeElements) {
        if (TransactionFirstPass.isMarked(resource)) {
            return new ResourceHistoryState(null, null, encoding, NOT_ENCODED);
        }
        return super.calculateResourceHistoryState(resource, encoding, excludeElements);
    }
}
