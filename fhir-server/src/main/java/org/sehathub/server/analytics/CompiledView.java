package org.sehathub.server.analytics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.fhirpath.ExpressionNode;
import org.hl7.fhir.r4.fhirpath.FHIRPathEngine;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Resource;

/**
 * A ViewDefinition ready to run ({@link ViewEngine#compile}): {@link #rows} gives a resource's rows,
 * each a list of values in the order of {@link #columns()}: {@code Boolean}, {@code Integer},
 * {@code BigDecimal}, {@code String} (every other FHIR primitive, as written), a {@code List} of
 * these for a collection column, or {@code null}. Follows the processing algorithm of the SQL on
 * FHIR v2 specification: a select's own columns, its nested selects and its {@code unionAll}
 * branches are joined as a cross product per focus, so a part with no rows leaves no row.
 */
public final class CompiledView {

    record Cell(ViewDefinition.Column column, ExpressionNode path) {}

    record Node(
            List<Cell> cells,
            List<Node> selects,
            ExpressionNode forEach,
            boolean orNull,
            List<ExpressionNode> repeat,
            List<Node> unionAll) {}

    private final FHIRPathEngine fhirPath;
    private final String resourceType;
    private final List<ViewDefinition.Column> columns;
    private final ViewFunctions.Scope scope;
    private final List<Node> selects;
    private final List<ExpressionNode> where;

    CompiledView(
            FHIRPathEngine fhirPath,
            String resourceType,
            List<ViewDefinition.Column> columns,
            ViewFunctions.Scope scope,
            List<Node> selects,
            List<ExpressionNode> where) {
        this.fhirPath = fhirPath;
        this.resourceType = resourceType;
        this.columns = columns;
        this.scope = scope;
        this.selects = selects;
        this.where = where;
    }

    /** The resource type the view reads. */
    public String resourceType() {
        return resourceType;
    }

    /** The view's columns, in the order of each row's values. */
    public List<ViewDefinition.Column> columns() {
        return columns;
    }

    /** The resource's rows: none if it is of another type or a {@code where} is not true for it. */
    public List<List<Object>> rows(IBaseResource resource) {
        Resource r = (Resource) resource;
        if (!r.fhirType().equals(resourceType) || !passes(r)) {
            return List.of();
        }
        List<Map<String, Object>> partial = List.of(Map.of());
        for (Node select : selects) {
            partial = product(partial, rows(select, r, r, scope));
        }
        List<List<Object>> rows = new ArrayList<>(partial.size());
        for (Map<String, Object> row : partial) {
            List<Object> values = new ArrayList<>(columns.size());
            columns.forEach(c -> values.add(row.get(c.name())));
            rows.add(Collections.unmodifiableList(values));
        }
        return rows;
    }

    private boolean passes(Resource resource) {
        for (ExpressionNode condition : where) {
            List<Base> result = evaluate(resource, resource, condition, scope, "where");
            if (result.isEmpty()) {
                return false;
            }
            if (result.size() > 1 || !(result.get(0) instanceof BooleanType b)) {
                throw new ViewDefinitionException(
                        "where '" + condition + "' gives " + describe(result) + ", not true or false");
            }
            if (!Boolean.TRUE.equals(b.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** A select's rows on one focus ({@code null}: the empty focus of a forEachOrNull that found nothing). */
    private List<Map<String, Object>> rows(Node select, Resource resource, Base focus, ViewFunctions.Scope at) {
        List<Base> foci;
        boolean indexed = select.forEach() != null || !select.repeat().isEmpty();
        if (select.forEach() != null) {
            foci = focus == null ? List.of() : evaluate(resource, focus, select.forEach(), at, "forEach");
            if (foci.isEmpty() && select.orNull()) {
                foci = Collections.singletonList(null);
            }
        } else if (!select.repeat().isEmpty()) {
            foci = new ArrayList<>();
            if (focus != null) {
                descend(resource, focus, select.repeat(), at, foci);
            }
        } else {
            foci = Collections.singletonList(focus);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < foci.size(); i++) {
            Base node = foci.get(i);
            ViewFunctions.Scope here = indexed ? at.atRow(i) : at;
            Map<String, Object> own = new HashMap<>();
            for (Cell cell : select.cells()) {
                own.put(cell.column().name(), value(resource, node, cell, here));
            }
            List<Map<String, Object>> partial = List.of(own);
            for (Node nested : select.selects()) {
                partial = product(partial, rows(nested, resource, node, here));
            }
            if (!select.unionAll().isEmpty()) {
                List<Map<String, Object>> union = new ArrayList<>();
                for (Node branch : select.unionAll()) {
                    union.addAll(rows(branch, resource, node, here));
                }
                partial = product(partial, union);
            }
            rows.addAll(partial);
        }
        return rows;
    }

    /** Every node the repeat paths reach from the focus, at any depth, each before its own descendants. */
    private void descend(
            Resource resource, Base focus, List<ExpressionNode> paths, ViewFunctions.Scope at, List<Base> into) {
        for (ExpressionNode path : paths) {
            for (Base child : evaluate(resource, focus, path, at, "repeat")) {
                into.add(child);
                descend(resource, child, paths, at, into);
            }
        }
    }

    private Object value(Resource resource, Base focus, Cell cell, ViewFunctions.Scope at) {
        ViewDefinition.Column column = cell.column();
        // A forEachOrNull that found nothing: the columns see an empty focus (%rowIndex is still 0).
        List<Base> values = evaluate(resource, focus, cell.path(), at, "column " + column.name());
        if (column.collection()) {
            List<Object> list = new ArrayList<>(values.size());
            values.forEach(v -> list.add(plain(column, v)));
            return Collections.unmodifiableList(list);
        }
        if (values.size() > 1) {
            throw new ViewDefinitionException("column " + column.name() + " ('" + column.path() + "') gives "
                    + values.size() + " values on " + resource.getIdElement().getIdPart()
                    + "; a column that is not a collection holds one");
        }
        return values.isEmpty() ? null : plain(column, values.get(0));
    }

    private static Object plain(ViewDefinition.Column column, Base value) {
        if (value instanceof BooleanType b) {
            return b.getValue();
        }
        if (value instanceof IntegerType i) {
            return i.getValue();
        }
        if (value instanceof DecimalType d) {
            return d.getValue();
        }
        if (value instanceof PrimitiveType<?> p) {
            return p.getValueAsString();
        }
        throw new ViewDefinitionException("column " + column.name() + " ('" + column.path() + "') gives a "
                + value.fhirType() + "; a column holds primitive values (add the element wanted, e.g. .value)");
    }

    private List<Base> evaluate(
            Resource resource, Base focus, ExpressionNode expression, ViewFunctions.Scope at, String where) {
        try {
            return fhirPath.evaluate(at, resource, resource, focus, expression);
        } catch (FHIRException | IllegalArgumentException | UnsupportedOperationException e) {
            throw new ViewDefinitionException(where + " ('" + expression + "'): " + e.getMessage(), e);
        }
    }

    private static List<Map<String, Object>> product(List<Map<String, Object>> left, List<Map<String, Object>> right) {
        List<Map<String, Object>> rows = new ArrayList<>(left.size() * right.size());
        for (Map<String, Object> l : left) {
            for (Map<String, Object> r : right) {
                Map<String, Object> row = new HashMap<>(l);
                row.putAll(r);
                rows.add(row);
            }
        }
        return rows;
    }

    private static String describe(List<Base> values) {
        return values.size() == 1 ? "a " + values.get(0).fhirType() : values.size() + " values";
    }
}
