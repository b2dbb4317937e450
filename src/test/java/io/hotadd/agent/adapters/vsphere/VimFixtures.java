package io.hotadd.agent.adapters.vsphere;

/**
 * SOAP answers for the adapter's operations, shaped like vCenter 7's: task references, TaskInfo, update
 * sets, property results and changed disk areas. Builds on {@link SoapFixtures}.
 */
final class VimFixtures {

    private VimFixtures() {
    }

    static String returnsRef(String method, String type, String value) {
        return SoapFixtures.response(method, "<returnval type=\"" + type + "\">" + value + "</returnval>");
    }

    /** TaskInfo of {@code task} on {@code vm}: state queued/running/success/error, progress or -1 for none. */
    static String taskInfo(String task, String vm, String state, int progress, String errorXml) {
        return "<key>" + task + "</key><task type=\"Task\">" + task + "</task><name>ReconfigVM_Task</name>"
                + "<descriptionId>VirtualMachine.reconfigure</descriptionId>"
                + "<entity type=\"VirtualMachine\">" + vm + "</entity><entityName>db01</entityName>"
                + "<state>" + state + "</state><cancelled>false</cancelled><cancelable>true</cancelable>"
                + (errorXml == null ? "" : errorXml)
                + (progress < 0 ? "" : "<progress>" + progress + "</progress>")
                + "<reason xsi:type=\"TaskReasonUser\"><userName>VSPHERE.LOCAL\\svc-backup</userName></reason>"
                + "<queueTime>2023-03-14T09:12:44.912Z</queueTime><eventChainId>4711</eventChainId>";
    }

    /** LocalizedMethodFault as it appears in TaskInfo.error. */
    static String taskError(String faultType, String faultFields, String message) {
        return "<error><fault xsi:type=\"" + faultType + "\">" + faultFields + "</fault>"
                + "<localizedMessage>" + message + "</localizedMessage></error>";
    }

    /** RetrievePropertiesEx answer with one object's properties (name, xsi:type, inner XML). */
    static String retrieveResult(String type, String moref, String... props) {
        StringBuilder propSets = new StringBuilder();
        for (int i = 0; i + 2 < props.length; i += 3) {
            propSets.append("<propSet><name>").append(props[i]).append("</name><val xsi:type=\"")
                    .append(props[i + 1]).append("\">").append(props[i + 2]).append("</val></propSet>");
        }
        return SoapFixtures.response("RetrievePropertiesEx", "<returnval><objects><obj type=\"" + type + "\">"
                + moref + "</obj>" + propSets + "</objects></returnval>");
    }

    /** WaitForUpdatesEx answer: the filter reports the task's whole info. */
    static String updateSet(String version, String filter, String task, String kind, String taskInfoXml) {
        return SoapFixtures.response("WaitForUpdatesEx", "<returnval><version>" + version + "</version>"
                + "<filterSet><filter type=\"PropertyFilter\">" + filter + "</filter><objectSet><kind>" + kind
                + "</kind><obj type=\"Task\">" + task + "</obj><changeSet><name>info</name><op>assign</op>"
                + "<val xsi:type=\"TaskInfo\">" + taskInfoXml + "</val></changeSet></objectSet></filterSet>"
                + "</returnval>");
    }

    /** WaitForUpdatesEx answer with nested paths only, as some vCenter versions send them. */
    static String partialUpdate(String version, String filter, String task, String changes) {
        return SoapFixtures.response("WaitForUpdatesEx", "<returnval><version>" + version + "</version>"
                + "<filterSet><filter type=\"PropertyFilter\">" + filter + "</filter><objectSet><kind>modify</kind>"
                + "<obj type=\"Task\">" + task + "</obj>" + changes + "</objectSet></filterSet></returnval>");
    }

    static String change(String name, String xsiType, String value) {
        return "<changeSet><name>" + name + "</name><op>assign</op><val xsi:type=\"" + xsiType + "\">" + value
                + "</val></changeSet>";
    }

    /** QueryChangedDiskAreas answer: the window and its extents as start,length pairs. */
    static String diskChangeInfo(long startOffset, long length, long... extents) {
        StringBuilder areas = new StringBuilder();
        for (int i = 0; i + 1 < extents.length; i += 2) {
            areas.append("<changedArea><start>").append(extents[i]).append("</start><length>")
                    .append(extents[i + 1]).append("</length></changedArea>");
        }
        return SoapFixtures.response("QueryChangedDiskAreas", "<returnval><startOffset>" + startOffset
                + "</startOffset><length>" + length + "</length>" + areas + "</returnval>");
    }
}
