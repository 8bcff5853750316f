package org.sehathub.server.analytics;

import java.util.List;
import java.util.Map;
import org.hl7.fhir.exceptions.PathEngineException;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.fhirpath.FHIRPathUtilityClasses.FunctionDetails;
import org.hl7.fhir.r4.fhirpath.IHostApplicationServices;
import org.hl7.fhir.r4.fhirpath.TypeDetails;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.hl7.fhir.utilities.fhirpath.FHIRPathConstantEvaluationMode;

/**
 * What SQL on FHIR adds to FHIRPath, for HAPI's R4 engine: the view's constants ({@code %name}),
 * {@code %rowIndex}, and the functions {@code getResourceKey()} and {@code getReferenceKey([type])}
 * (the key of a resource is its logical id, so a reference's key is the id it points to).
 *
 * <p>The engine hands the evaluation's {@link Scope} back to every call: the constants and the row
 * index travel with the expression, so one instance serves every view and thread.
 */
final class ViewFunctions implements IHostApplicationServices {

    /** What an expression sees besides its focus: the view's constants and the index of its row. */
    record Scope(Map<String, List<Base>> constants, int rowIndex) {

        Scope atRow(int index) {
            return new Scope(constants, index);
        }
    }

    static final String ROW_INDEX = "rowIndex";
    private static final String RESOURCE_KEY = "getResourceKey";
    private static final String REFERENCE_KEY = "getReferenceKey";

    @Override
    public List<Base> resolveConstant(
            FHIRPathEngine engine, Object context, String name, FHIRPathConstantEvaluationMode mode) {
        if (mode != FHIRPathConstantEvaluationMode.EXPLICIT) {
            return List.of(); // bare names are elements, never constants
        }
        String bare = name.startsWith("%") ? name.substring(1) : name;
        Scope scope = (Scope) context;
        if (bare.equals(ROW_INDEX)) {
            return List.of(new IntegerType(scope.rowIndex()));
        }
        List<Base> value = scope.constants().get(bare);
        if (value == null) {
            throw new PathEngineException("%" + bare + " is not a constant of this view");
        }
        return value;
    }

    @Override
    public TypeDetails resolveConstantType(
            FHIRPathEngine engine, Object context, String name, FHIRPathConstantEvaluationMode mode) {
        return null;
    }

    @Override
    public boolean log(String argument, List<Base> focus) {
        return false;
    }

    @Override
    public FunctionDetails resolveFunction(FHIRPathEngine engine, String functionName) {
        return switch (functionName) {
            case RESOURCE_KEY -> new FunctionDetails("the logical id of the resource", 0, 0);
            case REFERENCE_KEY -> new FunctionDetails("the logical id a reference points to", 0, 1);
            default -> null;
        };
    }

    @Override
    public TypeDetails checkFunction(
            FHIRPathEngine engine,
            Object context,
            String functionName,
            TypeDetails focus,
            List<TypeDetails> parameters) {
        return null;
    }

    @Override
    public List<Base> executeFunction(
            FHIRPathEngine engine, Object context, List<Base> focus, String functionName, List<List<Base>> parameters) {
        return switch (functionName) {
            case RESOURCE_KEY ->
                focus.stream()
                        .filter(Resource.class::isInstance)
                        .map(r -> (Base)
                                new StringType(((Resource) r).getIdElement().getIdPart()))
                        .toList();
            case REFERENCE_KEY -> referenceKeys(focus, typeOf(parameters));
            default -> throw new PathEngineException("unknown function " + functionName);
        };
    }

    private static String typeOf(List<List<Base>> parameters) {
        if (parameters.isEmpty() || parameters.get(0).isEmpty()) {
            return null;
        }
        // The engine hands a type name over as a code qualified by its namespace: FHIR.Patient.
        String type = parameters.get(0).get(0).primitiveValue();
        return type.startsWith("FHIR.") ? type.substring("FHIR.".length()) : type;
    }

    private static List<Base> referenceKeys(List<Base> focus, String type) {
        return focus.stream()
                .filter(Reference.class::isInstance)
                .map(r -> ((Reference) r).getReferenceElement())
                .filter(id -> id.hasIdPart() && (type == null || type.equals(id.getResourceType())))
                .map(id -> (Base) new StringType(id.getIdPart()))
                .toList();
    }

    @Override
    public Base resolveReference(FHIRPathEngine engine, Object context, String url, Base refContext) {
        return null;
    }

    @Override
    public boolean conformsToProfile(FHIRPathEngine engine, Object context, Base item, String url) {
        return false;
    }

    @Override
    public ValueSet resolveValueSet(FHIRPathEngine engine, Object context, String url) {
        return null;
    }

    @Override
    public boolean paramIsType(String name, int index) {
        return REFERENCE_KEY.equals(name) && index == 0;
    }
}
