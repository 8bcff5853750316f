package org.sehathub.server.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.util.ResourceReferenceInfo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Resource;

/**
 * The reference data every message of a facility names again (its Organization, Locations and
 * Practitioners), remembered once stored, so that a message sending it unchanged skips those
 * entries: they are taken out of the Bundle and the other entries reference the stored resources
 * instead. HAPI would have resolved each one (a search for a conditional create, a read, an encoding
 * and a hash for an update) only to write nothing.
 *
 * <p>Two kinds of entry are remembered once their transaction has committed: a conditional create
 * ({@code POST} with {@code ifNoneExist}), which never changes the resource it matches, by its
 * match URL; and an update ({@code PUT Type/id} or {@code Type?query}), by its URL and a digest of
 * the resource sent, so only the very same content is skipped. Whoever updates, deletes or expunges
 * a resource of these types (a REST client, another message, an operator), everything is forgotten
 * ({@link #forgetAll}); a transaction that began before that does not remember what it wrote. A
 * message that fails after entries were skipped is written again whole ({@link
 * InProcessBundleSink}), so a stale entry costs a retry, never a wrong answer. Entries older than
 * {@link #TIME_TO_LIVE} are not trusted: HAPI's {@code $meta-add} and {@code $meta-delete} change
 * tags without an update hook.
 *
 * <p>The memory is this server's: it assumes, as the local full-text index does, one server per
 * database (docs/operations.md).
 */
@Interceptor
public class KnownReferenceData {

    /** The types a message names as reference data rather than as the patient's record. */
    static final Set<String> TYPES = Set.of("Organization", "Location", "Practitioner");

    static final Duration TIME_TO_LIVE = Duration.ofMinutes(10);
    /** Beyond this many, everything is forgotten (a few per facility and doctor are expected). */
    static final int MAX_ENTRIES = 100_000;

    private record Known(String id, String digest, Instant at) {}

    private final Map<String, Known> known = new ConcurrentHashMap<>();
    /** Counts the forgettings: a transaction remembers only if none happened while it ran. */
    private final AtomicLong generation = new AtomicLong();

    private final FhirContext fhirContext;
    private final Clock clock;

    public KnownReferenceData(FhirContext fhirContext, Clock clock) {
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    /**
     * A Bundle with the entries already stored as they are taken out, and what to remember of the
     * rest once it has committed.
     *
     * @param bundle the Bundle to write
     * @param skipped how many entries were taken out
     * @param keys for each entry of {@code bundle}, its key if it is reference data, else null
     * @param digests for each entry of {@code bundle}, the digest of an update's resource, else null
     * @param generation the forgettings counted when the Bundle was made
     */
    public record Shortened(Bundle bundle, int skipped, List<String> keys, List<String> digests, long generation) {}

    /**
     * Takes the known, unchanged reference data out of {@code bundle} (a copy the caller owns: its
     * entries' references are rewritten in place).
     */
    public Shortened shorten(Bundle bundle) {
        long startedAt = generation.get();
        Instant now = clock.instant();
        List<BundleEntryComponent> entries = bundle.getEntry();
        List<String> keys = new ArrayList<>(entries.size());
        List<String> digests = new ArrayList<>(entries.size());
        Map<String, String> stored = new HashMap<>();
        for (BundleEntryComponent entry : entries) {
            String key = key(entry);
            String digest =
                    key != null && entry.getRequest().getMethod() == HTTPVerb.PUT ? digest(entry.getResource()) : null;
            keys.add(key);
            digests.add(digest);
            Known hit = key == null ? null : known.get(key);
            if (hit != null
                    && entry.hasFullUrl()
                    && hit.at().plus(TIME_TO_LIVE).isAfter(now)
                    && (hit.digest() == null || hit.digest().equals(digest))) {
                stored.put(entry.getFullUrl(), hit.id());
            }
        }
        // An entry named in another entry's URL (a conditional URL on urn:uuid:...) stays in.
        for (BundleEntryComponent entry : entries) {
            stored.keySet()
                    .removeIf(fullUrl -> entry.getRequest().getUrl() != null
                                    && entry.getRequest().getUrl().contains(fullUrl)
                            || entry.getRequest().getIfNoneExist() != null
                                    && entry.getRequest().getIfNoneExist().contains(fullUrl));
        }
        if (stored.isEmpty()) {
            return new Shortened(bundle, 0, keys, digests, startedAt);
        }
        Bundle shortened = new Bundle().setType(bundle.getType());
        List<String> keptKeys = new ArrayList<>();
        List<String> keptDigests = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            BundleEntryComponent entry = entries.get(i);
            if (stored.containsKey(entry.getFullUrl())) {
                continue;
            }
            if (entry.getResource() != null) {
                pointAtStored(entry.getResource(), stored);
            }
            shortened.addEntry(entry);
            keptKeys.add(keys.get(i));
            keptDigests.add(digests.get(i));
        }
        return new Shortened(shortened, entries.size() - shortened.getEntry().size(), keptKeys, keptDigests, startedAt);
    }

    /**
     * Remembers the reference data a committed transaction wrote or found, unless something was
     * forgotten while it ran.
     *
     * @param response HAPI's transaction response: one entry per entry of the written Bundle, in order
     */
    public void remember(Shortened written, Bundle response) {
        if (generation.get() != written.generation()
                || response.getEntry().size() != written.keys().size()) {
            return;
        }
        if (known.size() > MAX_ENTRIES) {
            known.clear();
        }
        Instant now = clock.instant();
        for (int i = 0; i < written.keys().size(); i++) {
            String key = written.keys().get(i);
            String location = response.getEntry().get(i).getResponse().getLocation();
            if (key != null && location != null && !location.isBlank()) {
                String id = new IdType(location).toUnqualifiedVersionless().getValue();
                known.put(key, new Known(id, written.digests().get(i), now));
            }
        }
        // A forgetting that came while we stored may have cleared the map before our puts.
        if (generation.get() != written.generation()) {
            known.clear();
        }
    }

    /** Forgets everything: reference data was changed, deleted or expunged, or a write failed. */
    public void forgetAll() {
        generation.incrementAndGet();
        known.clear();
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        forgetIfReferenceData(resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        forgetIfReferenceData(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_EXPUNGE_RESOURCE)
    public void expunging(IBaseResource resource) {
        forgetIfReferenceData(resource);
    }

    /** {@code $delete-expunge} and {@code _expunge=true} delete in bulk, without the hooks above. */
    @Hook(Pointcut.STORAGE_PRE_DELETE_EXPUNGE_PID_LIST)
    public void deletingAndExpunging(String resourceType) {
        if (TYPES.contains(resourceType)) {
            forgetAll();
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_EXPUNGE_EVERYTHING)
    public void expungingEverything() {
        forgetAll();
    }

    private void forgetIfReferenceData(IBaseResource resource) {
        if (resource == null || TYPES.contains(fhirContext.getResourceType(resource))) {
            forgetAll();
        }
    }

    /** The entry's key if it is reference data written idempotently, else null. */
    private static String key(BundleEntryComponent entry) {
        Resource resource = entry.getResource();
        if (resource == null || !TYPES.contains(resource.fhirType())) {
            return null;
        }
        String url = entry.getRequest().getUrl();
        if (entry.getRequest().getMethod() == null) {
            return null;
        }
        return switch (entry.getRequest().getMethod()) {
            case POST -> entry.getRequest().hasIfNoneExist() ? "POST " + matchUrl(resource, entry) : null;
            case PUT -> url != null && !url.isBlank() ? "PUT " + url : null;
            default -> null;
        };
    }

    /** {@code ifNoneExist} with its type, whichever of FHIR's two forms the entry uses. */
    private static String matchUrl(Resource resource, BundleEntryComponent entry) {
        String ifNoneExist = entry.getRequest().getIfNoneExist();
        return ifNoneExist.contains("?") ? ifNoneExist : resource.fhirType() + "?" + ifNoneExist;
    }

    private void pointAtStored(Resource resource, Map<String, String> stored) {
        for (ResourceReferenceInfo info : fhirContext.newTerser().getAllResourceReferences(resource)) {
            String target =
                    stored.get(info.getResourceReference().getReferenceElement().getValue());
            if (target != null) {
                info.getResourceReference().setReference(target);
            }
        }
    }

    private String digest(Resource resource) {
        String json = fhirContext.newJsonParser().encodeResourceToString(resource);
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
