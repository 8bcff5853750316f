package org.sehathub.server.analytics;

import ca.uhn.fhir.context.BaseRuntimeElementDefinition;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.hapi.ctx.HapiWorkerContext;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.PrimitiveType;

/**
 * Runs SQL on FHIR v2 ViewDefinitions on R4 resources with HAPI's FHIRPath engine ({@link
 * FHIRPathEngine}, the R4 one HAPI's own {@code IFhirPath} wraps, with {@link ViewFunctions} for
 * what SQL on FHIR adds). {@link #compile} checks a view and parses its expressions once; the {@link
 * CompiledView} it returns turns each resource into rows. One engine serves every view and thread.
 */
public final class ViewEngine {

    private final FhirContext fhir;
    private final FHIRPathEngine fhirPath;

    public ViewEngine(FhirContext fhir, IValidationSupport structures) {
        this.fhir = fhir;
        this.fhirPath = new FHIRPathEngine(new HapiWorkerContext(fhir, structures));
        this.fhirPath.setHostServices(new ViewFunctions());
    }

    /** Checks the view against R4 and parses its expressions; {@link ViewDefinitionException} if it cannot run. */
    public CompiledView compile(ViewDefinition view) {
        if (!fhir.getResourceTypes().contains(view.resource())) {
            throw new ViewDefinitionException(view.resource() + " is not a FHIR R4 resource type");
        }
        Map<String, List<Base>> constants = new HashMap<>();
        for (ViewDefinition.Constant constant : view.constants()) {
            constants.put(constant.name(), List.of(constantValue(constant)));
        }
        List<CompiledView.Node> selects = new ArrayList<>();
        view.select().forEach(s -> selects.add(node(s)));
        List<ExpressionNode> where = new ArrayList<>();
        view.where().forEach(w -> where.add(parse(w, "where")));
        return new CompiledView(
                fhirPath,
                view.resource(),
                List.copyOf(view.columns()),
                new ViewFunctions.Scope(Map.copyOf(constants), 0),
                selects,
                where);
    }

    private CompiledView.Node node(ViewDefinition.Select select) {
        List<CompiledView.Cell> cells = new ArrayList<>();
        for (ViewDefinition.Column column : select.column()) {
            cells.add(new CompiledView.Cell(column, parse(column.path(), "column " + column.name())));
        }
        List<CompiledView.Node> nested = new ArrayList<>();
        select.select().forEach(s -> nested.add(node(s)));
        List<CompiledView.Node> union = new ArrayList<>();
        select.unionAll().forEach(s -> union.add(node(s)));
        List<ExpressionNode> repeat = new ArrayList<>();
        select.repeat().forEach(r -> repeat.add(parse(r, "repeat")));
        return new CompiledView.Node(
                cells,
                nested,
                select.forEach() == null ? null : parse(select.forEach(), "forEach"),
                select.orNull(),
                repeat,
                union);
    }

    private ExpressionNode parse(String expression, String where) {
        try {
            return fhirPath.parse(expression);
        } catch (FHIRException | IllegalArgumentException e) {
            throw new ViewDefinitionException(where + ": '" + expression + "' is not FHIRPath: " + e.getMessage(), e);
        }
    }

    private Base constantValue(ViewDefinition.Constant constant) {
        BaseRuntimeElementDefinition<?> definition = fhir.getElementDefinition(constant.type());
        if (definition == null || !(definition.newInstance() instanceof PrimitiveType<?> value)) {
            throw new ViewDefinitionException(
                    "constant " + constant.name() + ": value" + constant.type() + " is not a primitive FHIR type");
        }
        try {
            value.setValueAsString(constant.value().asText());
        } catch (IllegalArgumentException e) {
            throw new ViewDefinitionException(
                    "constant " + constant.name() + ": " + constant.value() + " is not a " + constant.type(), e);
        }
        return value;
    }
}
