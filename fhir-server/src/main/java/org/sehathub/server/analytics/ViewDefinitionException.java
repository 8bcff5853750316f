package org.sehathub.server.analytics;

/**
 * A ViewDefinition that is not one, or that cannot be run on the data it met (a column that is not
 * a collection found several values, a where that is not true or false): the message says which.
 */
public class ViewDefinitionException extends RuntimeException {

    public ViewDefinitionException(String message) {
        super(message);
    }

    public ViewDefinitionException(String message, Throwable cause) {
        super(message, cause);
    }
}
