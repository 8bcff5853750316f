package org.sehathub.server.mpi;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.sehathub.mappers.NamingSystems;

/**
 * Applies an HL7 unlink (ADT^A37) before a Patient is stored: every {@code seealso} link whose
 * {@code other.identifier} is the one an {@link NamingSystems#UNLINK} extension names is removed,
 * and the extension with it (it is an instruction, never data); and keeps one {@code seealso}
 * link per other record when a link (A24) was sent twice. The mappers ask for it this way
 * because HAPI 8.8's FHIRPath Patch cannot delete one list element chosen by a nested path.
 */
@Interceptor
public class SeeAlsoUnlink {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        apply(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        apply(resource);
    }

    static void apply(IBaseResource resource) {
        if (!(resource instanceof Patient patient)) {
            return;
        }
        List<Extension> unlinks = patient.getExtensionsByUrl(NamingSystems.UNLINK);
        for (Extension unlink : unlinks) {
            if (unlink.getValue() instanceof Identifier other) {
                patient.getLink()
                        .removeIf(link -> link.getType() == Patient.LinkType.SEEALSO
                                && other.getSystem() != null
                                && other.getSystem()
                                        .equals(link.getOther().getIdentifier().getSystem())
                                && other.getValue() != null
                                && other.getValue()
                                        .equals(link.getOther().getIdentifier().getValue()));
            }
        }
        patient.getExtension().removeAll(unlinks);
        // One seealso link per other record, however often a facility sent the link (A24 twice).
        Set<String> seen = new HashSet<>();
        patient.getLink()
                .removeIf(link -> link.getType() == Patient.LinkType.SEEALSO
                        && link.getOther().hasIdentifier()
                        && !seen.add(link.getOther().getIdentifier().getSystem() + "|"
                                + link.getOther().getIdentifier().getValue()));
    }
}
