package org.sehathub.server.search;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.searchparam.registry.ReadOnlySearchParamCache;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParameterCanonicalizer;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives HAPI's search-parameter registry the promised built-in parameters ({@link
 * PromisedSearchParameters}) in place of all of R4's, before the registry first loads.
 *
 * <p>HAPI 8.8 builds its list of built-in parameters once, lazily, into a private field of {@link
 * SearchParamRegistryImpl}, either all of R4's or (with {@code autoSupportDefaultSearchParams}
 * off) almost none, with no way to give it a list; everything else (indexing, searching, the
 * CapabilityStatement, stored SearchParameters overriding built-ins) reads the registry. So the
 * field is set here, before the registry's {@code @PostConstruct}: one field, checked at start
 * (the server refuses to start if HAPI no longer has it) and by the tests
 * (docs/decisions/0006-index-only-promised-search-parameters.md has the alternatives).
 */
public class PromisedSearchParameterRegistry implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(PromisedSearchParameterRegistry.class);

    static final String BUILT_IN_FIELD = "myBuiltInSearchParams";

    private final ObjectProvider<FhirContext> fhir;
    private final ObjectProvider<SearchParameterCanonicalizer> canonicalizer;
    private final ObjectProvider<PromisedSearchParameters> promised;

    public PromisedSearchParameterRegistry(
            ObjectProvider<FhirContext> fhir,
            ObjectProvider<SearchParameterCanonicalizer> canonicalizer,
            ObjectProvider<PromisedSearchParameters> promised) {
        this.fhir = fhir;
        this.canonicalizer = canonicalizer;
        this.promised = promised;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof SearchParamRegistryImpl registry) {
            FhirContext context = fhir.getObject();
            ReadOnlySearchParamCache all = ReadOnlySearchParamCache.fromFhirContext(context, canonicalizer.getObject());
            ReadOnlySearchParamCache kept = promised.getObject().limit(all);
            setBuiltIns(registry, kept);
            log.info(
                    "search parameters: {} of R4's {} built-in (type, parameter) pairs kept"
                            + " (sehat.fhir.promised-search-parameters, full-text-types)",
                    kept.getSearchParamStream().count(),
                    all.getSearchParamStream().count());
        }
        return bean;
    }

    private static void setBuiltIns(SearchParamRegistryImpl registry, ReadOnlySearchParamCache kept) {
        try {
            Field builtIns = SearchParamRegistryImpl.class.getDeclaredField(BUILT_IN_FIELD);
            builtIns.setAccessible(true);
            builtIns.set(registry, kept);
        } catch (NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException(
                    "This HAPI FHIR version's SearchParamRegistryImpl has no field " + BUILT_IN_FIELD
                            + ": set sehat.fhir.index-only-promised-search-parameters=false, or adapt "
                            + PromisedSearchParameterRegistry.class.getName(),
                    e);
        }
    }
}
