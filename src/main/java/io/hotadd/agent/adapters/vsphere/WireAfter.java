package io.hotadd.agent.adapters.vsphere;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Puts a project subclass's field right after the named field of its superclasses in wire order, where the
 * newer WSDL has it (e.g. {@code efiSecureBootEnabled} after {@code enterBIOSSetup}): a field added at the
 * end of a sequence by subclassing would otherwise be written out of the schema's order.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface WireAfter {
    /** The element name of the field this one follows. */
    String value();
}
