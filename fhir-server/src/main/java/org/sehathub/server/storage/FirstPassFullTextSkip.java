package org.sehathub.server.storage;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.fulltext.FullTextExtractionRequest;
import ca.uhn.fhir.jpa.searchparam.fulltext.FullTextExtractionResponse;

/**
 * Leaves a new resource's words out of the full-text fields in a transaction's first pass
 * ({@link TransactionFirstPass}): the second pass always sets them again from the final resource.
 */
@Interceptor
public class FirstPassFullTextSkip {

    @Hook(Pointcut.JPA_INDEX_EXTRACT_FULLTEXT_CONTENT)
    public FullTextExtractionResponse content(FullTextExtractionRequest request) {
        return decide(request);
    }

    @Hook(Pointcut.JPA_INDEX_EXTRACT_FULLTEXT_TEXT)
    public FullTextExtractionResponse narrative(FullTextExtractionRequest request) {
        return decide(request);
    }

    private static FullTextExtractionResponse decide(FullTextExtractionRequest request) {
        return TransactionFirstPass.isMarked(request.getResource())
                ? FullTextExtractionResponse.doNotIndex()
                : FullTextExtractionResponse.indexNormally();
    }
}
