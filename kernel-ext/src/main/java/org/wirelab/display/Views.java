package org.wirelab.display;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * How a model offers a view of itself without depending on the package that draws it: the view
 * package ({@code org.wirelab.diagram}) registers a {@code Views} with {@link ServiceLoader}, and
 * the model asks for the view by name, so the arrow stays one way (views depend on models).
 *
 * <pre>{@code
 * Rich d = Views.of("diagram", capture);   // the same as SequenceDiagram.of(capture)
 * }</pre>
 */
public interface Views {

    /** The view called {@code name} of {@code model}, e.g. {@code ("timeline", history)}; empty when not drawn here. */
    Optional<Rich> draw(String name, Object model);

    /** The first registered view called {@code name} of {@code model}; fails naming what is missing. */
    static Rich of(String name, Object model) {
        for (Views v : ServiceLoader.load(Views.class, Views.class.getClassLoader())) {
            Optional<Rich> view = v.draw(name, model);
            if (view.isPresent()) {
                return view.get();
            }
        }
        throw new IllegalStateException("no view '" + name + "' of a " + model.getClass().getSimpleName()
                + " is registered (META-INF/services/" + Views.class.getName() + ")");
    }
}
