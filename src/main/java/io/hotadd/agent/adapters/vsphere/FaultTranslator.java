package io.hotadd.agent.adapters.vsphere;

import io.hotadd.agent.port.VSphereException;
import com.vmware.vim25.FileFault;
import com.vmware.vim25.FileLocked;
import com.vmware.vim25.HostCommunication;
import com.vmware.vim25.InvalidArgument;
import com.vmware.vim25.InvalidLogin;
import com.vmware.vim25.InvalidState;
import com.vmware.vim25.ManagedObjectNotFound;
import com.vmware.vim25.ManagedObjectReference;
import com.vmware.vim25.MethodDisabled;
import com.vmware.vim25.MethodFault;
import com.vmware.vim25.NoPermission;
import com.vmware.vim25.NotAuthenticated;
import com.vmware.vim25.NotFound;
import com.vmware.vim25.RequestCanceled;
import com.vmware.vim25.TaskInProgress;
import com.vmware.vim25.Timedout;

/**
 * Maps a vim25 fault to the agent's {@link VSphereException} family, with a message a vSphere administrator
 * can act on: what the agent tried ({@code action}), on which object, what it means, what to do, and
 * vCenter's own words.
 *
 * <p>Also used for faults that arrive inside a finished task ({@code TaskInfo.error}): pass the
 * {@code LocalizedMethodFault}'s fault and localized message.
 */
final class FaultTranslator {

    private FaultTranslator() {
    }

    /** One fault being translated, with the words every message needs. */
    private record Context(MethodFault fault, String action, String target, String text, String type) {

        /** " vCenter said: "..."." or nothing. */
        String said() {
            return text == null || text.isBlank() ? "" : " vCenter said: \"" + text + "\".";
        }
    }

    /**
     * @param action what the agent was doing, e.g. "create snapshot 'hotadd-42'"
     * @param object the managed object it worked on, e.g. "VirtualMachine:vm-42", or null
     * @param vCenterText vCenter's text for the fault; null to take it from the SOAP fault
     */
    static VSphereException translate(MethodFault fault, String action, String object, String vCenterText) {
        Context c = new Context(fault, action, object == null ? "" : " on " + object,
                vCenterText != null ? vCenterText : soapText(fault), faultType(fault));
        if (fault instanceof NotAuthenticated || fault instanceof InvalidLogin) {
            return notAuthenticated(c);
        } else if (fault instanceof NoPermission noPermission) {
            return noPermission(noPermission, c);
        } else if (fault instanceof ManagedObjectNotFound || fault instanceof NotFound) {
            return notFound(c);
        } else if (fault instanceof MethodDisabled disabled) {
            return methodDisabled(disabled, c);
        } else if (fault instanceof TaskInProgress || fault instanceof FileLocked || fault instanceof InvalidState) {
            return busyOrInWrongState(c);
        }
        return other(c);
    }

    private static VSphereException notAuthenticated(Context c) {
        if (c.fault() instanceof InvalidLogin) {
            return new VSphereException.NotAuthenticated("vCenter refused the agent's user name or password while"
                    + " trying to " + c.action() + "." + c.said() + " Check the vCenter credentials configured for"
                    + " the agent (and that the account is not locked or expired).", c.type(), c.text(), c.fault());
        }
        return new VSphereException.NotAuthenticated("vCenter rejected the agent's session while trying to "
                + c.action() + c.target() + ", even after logging in again." + c.said() + " Check that the agent's"
                + " vCenter user is not locked or being logged out by an administrator, and that vCenter's session"
                + " limit is not exhausted.", c.type(), c.text(), c.fault());
    }

    private static VSphereException noPermission(NoPermission fault, Context c) {
        String privilege = fault.privilegeId;
        String on = fault.object != null ? " on " + ref(fault.object) : c.target();
        return new VSphereException.NoPermission("The agent's vCenter user lacks the privilege "
                + (privilege == null ? "(vCenter did not say which)" : "'" + privilege + "'") + on
                + ", needed to " + c.action() + "." + c.said() + " Grant it to the agent's role in vCenter"
                + " (Administration > Access Control > Roles) on that object or a parent, then retry.",
                privilege, c.type(), c.text(), fault);
    }

    private static VSphereException notFound(Context c) {
        String what = c.fault() instanceof ManagedObjectNotFound missing && missing.obj != null
                ? " " + ref(missing.obj) : c.target().isEmpty() ? "" : c.target().substring(" on".length());
        return new VSphereException.NotFound("Cannot " + c.action() + ": the object" + what + " does not exist"
                + " (any more) in vCenter (" + c.type() + ")." + c.said() + " If it was removed on purpose there is"
                + " nothing to do; otherwise check the inventory and the job's VM reference.",
                c.type(), c.text(), c.fault());
    }

    private static VSphereException methodDisabled(MethodDisabled fault, Context c) {
        String source = fault.source;
        return new VSphereException.MethodDisabled("vCenter refuses to " + c.action() + c.target() + " because the"
                + " method is disabled" + (source == null ? "" : " by '" + source + "'") + "." + c.said()
                + " Another backup product is probably working on this VM; retry when it is done. If nothing holds"
                + " the lock any more, re-enable the methods (AuthorizationManager.EnableMethods"
                + (source == null ? "" : " with source '" + source + "'") + ").", source, c.type(), c.text(), fault);
    }

    private static VSphereException busyOrInWrongState(Context c) {
        if (c.fault() instanceof TaskInProgress inProgress) {
            return new VSphereException.TaskInProgress("Cannot " + c.action() + c.target() + ": another vCenter"
                    + " task (" + ref(inProgress.task) + ") is still running on it." + c.said() + " Wait for that"
                    + " task to finish; the step can be retried.", c.type(), c.text(), c.fault());
        }
        if (c.fault() instanceof FileLocked locked) {
            return new VSphereException.FileLocked("Cannot " + c.action() + c.target() + ": the file "
                    + quoted(locked.file) + " is locked, usually by a host or another backup product using the"
                    + " disk." + c.said() + " The step can be retried; if the lock persists, find who holds it"
                    + " (vmkfstools -D on the host).", c.type(), c.text(), c.fault());
        }
        return new VSphereException.InvalidState("Cannot " + c.action() + c.target() + ": the object is in a"
                + " state that does not allow it (" + c.type() + ")." + c.said() + " Bring it into a suitable"
                + " state (e.g. finish a pending consolidation or power operation) and run the job again.",
                c.type(), c.text(), c.fault());
    }

    private static VSphereException other(Context c) {
        MethodFault fault = c.fault();
        if (fault instanceof Timedout) {
            return new VSphereException.Timeout("vCenter gave up waiting while trying to " + c.action()
                    + c.target() + " (Timedout)." + c.said() + " The step can be retried.", c.type(), c.text(), fault);
        }
        String hint = " See vCenter's text and the task and event logs of the object.";
        boolean retriable = false;
        if (fault instanceof InvalidArgument invalid) {
            hint = " vCenter rejected the argument " + quoted(invalid.invalidProperty) + "; this points to an agent"
                    + " bug or an unsupported VM configuration: report it with this message.";
        } else if (fault instanceof HostCommunication || fault instanceof RequestCanceled) {
            hint = " The host or vCenter was temporarily unreachable or busy; the step can be retried.";
            retriable = true;
        } else if (fault instanceof FileFault file) {
            hint = " The problem concerns the file " + quoted(file.file) + " on the datastore.";
        }
        return new VSphereException.Fault("Cannot " + c.action() + c.target() + ": vCenter answered with the"
                + " fault " + c.type() + "." + c.said() + hint, c.type(), c.text(), retriable, fault);
    }

    /** vCenter's faultstring for a fault read from a SOAP response, or null. */
    static String soapText(MethodFault fault) {
        return fault.detail instanceof SoapFaultText soap ? soap.faultString() : null;
    }

    /** The fault type as vCenter sent it (may be newer than the model), else the class name. */
    static String faultType(MethodFault fault) {
        if (fault.detail instanceof SoapFaultText soap && soap.faultType() != null) {
            return soap.faultType();
        }
        return fault.getClass().getSimpleName();
    }

    static String ref(ManagedObjectReference mor) {
        return mor == null ? "(unknown)" : mor.type + ":" + mor.val;
    }

    private static String quoted(String text) {
        return text == null ? "(not named)" : "'" + text + "'";
    }
}
