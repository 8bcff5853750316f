package org.sehathub.server.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.dao.BaseHapiFhirDao;
import ca.uhn.fhir.jpa.dao.IJpaStorageResourceParser;
import ca.uhn.fhir.jpa.model.entity.EntityIndexStatusEnum;
import ca.uhn.fhir.jpa.model.entity.ResourceTable;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import ca.uhn.fhir.util.XmlUtil;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.stream.events.XMLEvent;
import org.hibernate.search.mapper.orm.Search;
import org.hibernate.search.mapper.orm.work.SearchIndexingPlan;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IDomainResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rebuilds the Lucene full-text index when it holds fewer than half the resources the database
 * holds of the types that have full text ({@code sehat.fhir.full-text-types}): a server started
 * on a restored backup (which carries the database, not the index), or after the index folder was
 * lost or deleted. It runs in the background after start-up; until it finishes, {@code _content}
 * and {@code _text} miss the resources not yet indexed.
 *
 * <p>HAPI's {@code $reindex} job does not do this: the indexed text ({@code myContentText},
 * {@code myNarrativeText}) lives in transient fields that HAPI fills only when a resource is
 * written, and Hibernate Search's mass indexer would index them empty. So each resource is read
 * back, its text extracted the way HAPI extracts it on write, and the entity handed to Hibernate
 * Search's indexing plan.
 */
@Component
public class FullTextIndexRecovery {

    private static final Logger log = LoggerFactory.getLogger(FullTextIndexRecovery.class);
    private static final int BATCH = 500;

    private final EntityManagerFactory entityManagerFactory;
    private final EntityManager entityManager;
    private final TransactionTemplate transactions;
    private final IJpaStorageResourceParser resources;
    private final FhirContext fhirContext;
    private final ISearchParamRegistry searchParameters;

    public FullTextIndexRecovery(
            EntityManagerFactory entityManagerFactory,
            PlatformTransactionManager transactionManager,
            IJpaStorageResourceParser resources,
            FhirContext fhirContext,
            ISearchParamRegistry searchParameters) {
        this.entityManagerFactory = entityManagerFactory;
        this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        this.transactions = new TransactionTemplate(transactionManager);
        this.resources = resources;
        this.fhirContext = fhirContext;
        this.searchParameters = searchParameters;
    }

    /** The types HAPI extracts words of on write: those with {@code _content} or {@code _text}. */
    private Set<String> fullTextTypes() {
        return fhirContext.getResourceTypes().stream()
                .filter(type -> hasFullText(type, Constants.PARAM_CONTENT) || hasFullText(type, Constants.PARAM_TEXT))
                .collect(Collectors.toSet());
    }

    private boolean hasFullText(String type, String parameter) {
        return searchParameters.hasActiveSearchParam(
                type, parameter, ISearchParamRegistry.SearchParamLookupContextEnum.INDEX);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void rebuildAnIncompleteIndexInTheBackground() {
        Set<String> types = fullTextTypes();
        if (types.isEmpty()) {
            return;
        }
        long stored = storedResources(types);
        long indexed = indexedDocuments();
        if (indexed * 2 >= stored) {
            return;
        }
        log.warn(
                "The full-text index holds {} of {} stored resources (a restored backup, or a lost index folder); "
                        + "rebuilding it in the background",
                indexed,
                stored);
        Thread rebuild = new Thread(() -> rebuildLoggingFailure(types), "full-text-index-rebuild");
        rebuild.setDaemon(true);
        rebuild.start();
    }

    private void rebuildLoggingFailure(Set<String> types) {
        try {
            rebuild(types);
        } catch (RuntimeException e) {
            log.error("Rebuilding the full-text index failed; restart the server to try again", e);
        }
    }

    /** Indexes every stored resource of these types again, in batches of one transaction each. */
    private void rebuild(Set<String> types) {
        long started = System.nanoTime();
        long indexed = 0;
        long after = 0;
        while (true) {
            long from = after;
            List<ResourceTable> batch = transactions.execute(status -> indexBatchAfter(types, from));
            if (batch.isEmpty()) {
                break;
            }
            indexed += batch.size();
            after = batch.get(batch.size() - 1).getId().getId();
        }
        log.info(
                "Rebuilt the full-text index: {} resources in {} s",
                indexed,
                (System.nanoTime() - started) / 1_000_000_000L);
    }

    /** Indexes the next batch of resources with a database id above {@code after}, and returns it. */
    private List<ResourceTable> indexBatchAfter(Set<String> types, long after) {
        List<ResourceTable> batch = entityManager
                .createQuery(
                        "SELECT r FROM ResourceTable r WHERE r.myDeleted IS NULL AND r.myPid.myId > :after "
                                + "AND r.myResourceType IN :types ORDER BY r.myPid.myId",
                        ResourceTable.class)
                .setParameter("after", after)
                .setParameter("types", types)
                .setMaxResults(BATCH)
                .getResultList();
        SearchIndexingPlan plan = Search.session(entityManager).indexingPlan();
        for (ResourceTable entity : batch) {
            IBaseResource resource = resources.toResource(entity, false);
            entity.setContentText(BaseHapiFhirDao.parseContentTextIntoWords(fhirContext, resource));
            entity.setNarrativeText(narrativeWords(resource));
            // As HAPI marks a resource it extracted words of; one written while its type had no
            // full text is marked database-only, and Hibernate Search would leave it out.
            entity.setIndexStatus(EntityIndexStatusEnum.INDEXED_ALL);
            plan.addOrUpdate(entity);
        }
        return batch;
    }

    /** The narrative's text, word by word, as HAPI indexes it on write (BaseHapiFhirDao). */
    static String narrativeWords(IBaseResource resource) {
        if (!(resource instanceof IDomainResource domain)
                || domain.getText() == null
                || domain.getText().isEmpty()) {
            return null;
        }
        List<XMLEvent> events;
        try {
            events = XmlUtil.parse(domain.getText().getDivAsString());
        } catch (Exception unreadable) {
            // As on write: a narrative that does not parse contributes no words.
            return null;
        }
        if (events == null) {
            return null;
        }
        StringBuilder words = new StringBuilder();
        for (XMLEvent event : events) {
            if (event.isCharacters()) {
                words.append(event.asCharacters().getData()).append(' ');
            }
        }
        return words.toString();
    }

    private long storedResources(Set<String> types) {
        return transactions.execute(status -> entityManager
                .createQuery(
                        "SELECT count(r) FROM ResourceTable r WHERE r.myDeleted IS NULL AND r.myResourceType IN :types",
                        Long.class)
                .setParameter("types", types)
                .getSingleResult());
    }

    private long indexedDocuments() {
        try (EntityManager session = entityManagerFactory.createEntityManager()) {
            return Search.session(session)
                    .search(ResourceTable.class)
                    .where(f -> f.matchAll())
                    .fetchTotalHitCount();
        }
    }
}
