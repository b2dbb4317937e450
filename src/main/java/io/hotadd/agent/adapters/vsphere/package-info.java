/**
 * The vSphere adapter: the only package that imports yavijava ({@code com.vmware.vim25}).
 *
 * <p>Transport layer, top down:
 * <ul>
 *   <li>{@link io.hotadd.agent.adapters.vsphere.VSphereSession}: login, API version negotiation, transparent
 *       re-login, logout; {@code call(action, object, (vim, content) -> ...)} maps every failure to a
 *       {@link io.hotadd.agent.port.VSphereException} (a port type, so the engine and fakes share it).</li>
 *   <li>yavijava's typed stub {@code VimPortType}, on</li>
 *   <li>{@link io.hotadd.agent.adapters.vsphere.VimSoapClient}, our {@code com.vmware.vim25.ws.Client}: cookie,
 *       SOAPAction, round-trip counter, one retry after a re-login; requests written by yavijava's
 *       {@code XmlGen.toXML} or, when project types are involved, by
 *       {@link io.hotadd.agent.adapters.vsphere.VimRequestWriter};</li>
 *   <li>{@link io.hotadd.agent.adapters.vsphere.SoapHttpTransport}: java.net.http with a per-session TLS context
 *       from {@link io.hotadd.agent.adapters.vsphere.ServerTrust} (certificate pin or CA bundle) and timeouts;</li>
 *   <li>{@link io.hotadd.agent.adapters.vsphere.TolerantVimDeserializer}: StAX reader that skips and counts
 *       ({@link io.hotadd.agent.adapters.vsphere.SkippedXmlCounter}) what yavijava's 6.0 model lacks, resolves
 *       types through {@link io.hotadd.agent.adapters.vsphere.VimTypeRegistry} (project types such as
 *       {@link io.hotadd.agent.adapters.vsphere.CryptoKeyId} first), and turns SOAP faults into vim25 fault
 *       objects without the reflection on {@code Throwable} that Java 17 forbids;</li>
 *   <li>{@link io.hotadd.agent.adapters.vsphere.FaultTranslator}: vim25 faults to the agent's exception types.</li>
 * </ul>
 *
 * <p>Operations layer, on top: {@link io.hotadd.agent.adapters.vsphere.YavijavaVSphere}, the facade that
 * implements the engine's {@code VSphere} port plus {@code VcenterActivity} and {@code DatastoreFiles}, split by
 * concern into {@code YavijavaInventory} (one PropertyCollector question per read, {@code VmLocator} for
 * selectors, {@code YavijavaConfigCapture} for a snapshot's configuration kept verbatim), {@code
 * YavijavaVmOperations} ({@code YavijavaVmCreation}: CreateVM_Task of a restore from {@code RestoreConfigSpec}
 * and {@code RestoreDeviceSpecs}, NICs on {@code NetworkBackings}), {@code YavijavaProxyDevices},
 * {@code YavijavaChangedAreas}, {@code YavijavaActivity} and {@code YavijavaDatastoreFiles}. Every vCenter task is waited for by
 * {@code TaskWaiter} (WaitForUpdatesEx on a collector of its own, with a deadline from
 * {@link io.hotadd.agent.adapters.vsphere.TaskDeadlines}). Removals treat "not found" as done; proxy
 * reconfigurations check the proxy's devices when they fail, so every step can be run again after a crash.
 *
 * <p>Nothing here changes JVM-wide state (default SSL factories, host name verifiers, yavijava's
 * {@code ClientCreator}), so sessions to different vCenters coexist in one agent.
 */
package io.hotadd.agent.adapters.vsphere;
