package org.sehathub.server.storage;

import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Marks a resource while HAPI writes it in the first pass of a FHIR transaction.
 *
 * <p>HAPI stores a transaction's new resources in two passes: the first creates each entity (its
 * id is needed to rewrite the bundle's references), the second rewrites the references and indexes
 * the resource for good. HAPI 8.8 also extracts the search parameters and encodes the JSON of a new
 * resource in the first pass, and throws both away: the second pass does them again on the final
 * resource. {@link IndexOnceExtractor} marks the resource when it skips that first extraction;
 * {@code ca.uhn.fhir.jpa.dao.EncodeOnceHistoryCalculator} then skips the first encoding, and
 * {@link FirstPassFullTextSkip} the first full-text extraction. The mark is cleared when the second
 * pass starts. See docs/decisions/0004-index-new-resources-once.md.
 */
public final class TransactionFirstPass {

    private static final String KEY = TransactionFirstPass.class.getName();

    private TransactionFirstPass() {}

    static void mark(IBaseResource resource) {
        resource.setUserData(KEY, Boolean.TRUE);
    }

    static void clear(IBaseResource resource) {
        resource.setUserData(KEY, null);
    }

    /** Whether HAPI is writing this resource in a transaction's first pass, whose work it discards. */
    public static boolean isMarked(IBaseResource resource) {
        return resource != null && Boolean.TRUE.equals(resource.getUserData(KEY));
    }
}
