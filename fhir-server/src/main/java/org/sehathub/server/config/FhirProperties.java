package org.sehathub.server.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the FHIR endpoint behaves. Defaults are in {@code application.yaml}, each key commented there.
 *
 * @param defaultPageSize search page size when the client sends no {@code _count}
 * @param maxPageSize the largest {@code _count} honoured
 * @param autoCreatePlaceholderReferences create an empty target for a reference to a resource that
 *     does not exist yet, instead of refusing the write
 * @param allowExternalReferences accept absolute references to other servers
 * @param allowMultipleDelete let a conditional delete remove more than one resource
 * @param bulkExportEnabled serve Bulk Data {@code $export}
 * @param serverAddress the public base URL written into links, when a proxy hides the real one;
 *     empty means "as the request arrived"
 * @param retainCachedSearchesMinutes how long search result pages stay available for paging
 * @param reuseCachedSearchResultsMillis answer a repeated identical search from the previous result
 *     list for this long; 0 (the default) always searches afresh, so a client reads what it has
 *     just written
 * @param matchUrlCache cache the resolution of conditional match URLs
 *     ({@code Organization?identifier=...}) in memory; off by default: the benchmark showed no gain
 *     and the cache is not invalidated when a resource's identifiers change
 * @param massIngestion HAPI's mass-ingestion mode (an unchanged resource is recognised by a hash,
 *     resource ids are cached, tags of existing resources are not updated); off by default: the
 *     benchmark showed no gain
 * @param indexNewResourcesOnce index and encode a transaction's new resources once, in HAPI's
 *     second pass, instead of in both ({@code storage.WritePathConfig}); false is HAPI's own way
 * @param skipKnownReferenceData leave out of an ingested message the reference data (Organization,
 *     Location, Practitioner) already stored exactly as sent ({@code ingest.KnownReferenceData})
 * @param tokenTextSearch index the display text of token values (a Coding's display, a
 *     CodeableConcept's text) for the {@code :text} modifier; off by default: no API promises it,
 *     and the rows were a sixth of a resource's index rows (docs/performance.md)
 * @param indexOnlyPromisedSearchParameters index and answer, for the types listed in {@code
 *     promisedSearchParameters}, only the built-in search parameters the API promises
 *     ({@code search.PromisedSearchParameters}); false indexes every R4 parameter, HAPI's way
 * @param promisedSearchParameters per resource type, the non-reference built-in parameters kept
 *     besides {@code identifier} and the resource-level ones; types not listed keep all of R4's
 * @param fullTextTypes with {@code indexOnlyPromisedSearchParameters}, the types whose words are
 *     indexed for {@code _content} and {@code _text}; empty for every type
 * @param maxRequestBytes the largest request body, after gzip decompression; larger ones get 413
 *     before HAPI reads them ({@link RequestBodyLimit})
 * @param maxBundleEntries the most entries a transaction or batch Bundle may hold, ingested ones
 *     included; more is answered 413 before any entry is processed ({@link BundleEntryLimit})
 * @param groupCommit how ingested messages that arrive together share a database transaction
 * @param onePageLookups answer a lookup by identifier ({@code system|value}) or by {@code _id} whose
 *     matches fit one page at once, without storing it for paging ({@code search.OnePageLookups})
 */
@Validated
@ConfigurationProperties("sehat.fhir")
public record FhirProperties(
        @DefaultValue("20") @Min(1) @Max(1000) int defaultPageSize,
        @DefaultValue("200") @Min(1) @Max(5000) int maxPageSize,
        @DefaultValue("false") boolean autoCreatePlaceholderReferences,
        @DefaultValue("false") boolean allowExternalReferences,
        @DefaultValue("false") boolean allowMultipleDelete,
        @DefaultValue("true") boolean bulkExportEnabled,
        @DefaultValue("") String serverAddress,
        @DefaultValue("60") @Min(1) long retainCachedSearchesMinutes,
        @DefaultValue("0") @Min(0) long reuseCachedSearchResultsMillis,
        @DefaultValue("false") boolean matchUrlCache,
        @DefaultValue("false") boolean massIngestion,
        @DefaultValue("true") boolean indexNewResourcesOnce,
        @DefaultValue("true") boolean skipKnownReferenceData,
        @DefaultValue("false") boolean tokenTextSearch,
        @DefaultValue("true") boolean indexOnlyPromisedSearchParameters,
        Map<String, List<String>> promisedSearchParameters,
        List<String> fullTextTypes,
        @DefaultValue("134217728") @Min(1024) long maxRequestBytes,
        @DefaultValue("50000") @Min(1) int maxBundleEntries,
        @DefaultValue @Valid GroupCommit groupCommit,
        @DefaultValue("true") boolean onePageLookups) {

    /**
     * Group commit of ingested messages ({@code ingest.GroupCommit}): messages mapped from HL7 v2,
     * CSV and telehealth that arrive while others are being stored share one database transaction,
     * each acknowledged after its commit.
     *
     * @param maxMessages the most messages in one transaction; 1 turns grouping off
     * @param maxEntries the most Bundle entries in one transaction; a bigger message is stored alone
     * @param transactions how many transactions store such messages at once (the others wait and
     *     are grouped)
     */
    public record GroupCommit(
            @DefaultValue("16") @Min(1) @Max(1000) int maxMessages,
            @DefaultValue("400") @Min(1) int maxEntries,
            @DefaultValue("2") @Min(1) @Max(64) int transactions) {}

    public FhirProperties {
        promisedSearchParameters = promisedSearchParameters == null ? Map.of() : promisedSearchParameters;
        fullTextTypes = fullTextTypes == null ? List.of() : fullTextTypes;
    }
}
