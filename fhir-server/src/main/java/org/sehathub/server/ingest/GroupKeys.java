package org.sehathub.server.ingest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.sehathub.ingest.sink.MessageReceipt;

/**
 * What two messages stored at the same time must not share ({@link GroupCommit}): the resources
 * their entries write or match (a conditional URL, whether a conditional create's {@code
 * ifNoneExist} or a conditional update's URL, or a {@code Type/id}), their entries' {@code
 * fullUrl}s (one Bundle cannot hold the same one twice) and their receipt. Two messages about the
 * same patient share the Patient's conditional URL, so they are stored one after the other.
 */
final class GroupKeys {

    private GroupKeys() {}

    static Set<String> of(Bundle bundle, MessageReceipt receipt) {
        Set<String> keys = new HashSet<>();
        keys.add("receipt " + receipt.channel() + "|" + receipt.sender() + "|" + receipt.messageId());
        for (BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasFullUrl()) {
                keys.add("fullUrl " + entry.getFullUrl());
            }
            Bundle.BundleEntryRequestComponent request = entry.getRequest();
            if (request.hasIfNoneExist()) {
                String ifNoneExist = request.getIfNoneExist();
                String type = entry.getResource() != null
                        ? entry.getResource().fhirType()
                        : String.valueOf(request.getUrl()).replaceAll("[/?].*", "");
                keys.add(decoded(ifNoneExist.contains("?") ? ifNoneExist : type + "?" + ifNoneExist));
            }
            if (request.hasUrl() && request.getMethod() != Bundle.HTTPVerb.POST) {
                keys.add(decoded(request.getUrl()));
            }
        }
        return keys;
    }

    /** One spelling for one URL: {@code %7C} and {@code |} alike ({@code +} stays a plus). */
    private static String decoded(String url) {
        try {
            return URLDecoder.decode(url.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return url;
        }
    }
}
