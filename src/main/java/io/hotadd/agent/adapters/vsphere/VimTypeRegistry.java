package io.hotadd.agent.adapters.vsphere;

import com.vmware.vim25.ManagedObjectReference;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Maps vSphere wire type names (xsi:type values, fault names) to Java classes: first the types this project
 * models because yavijava 6.0 lacks them, then yavijava's {@code com.vmware.vim25} classes.
 *
 * <p>Project types are named exactly like their wire type, so yavijava's own serializer, which writes
 * {@code getSimpleName()} as xsi:type, names them right as well.
 */
public final class VimTypeRegistry {

    private static final String VIM25_PACKAGE = ManagedObjectReference.class.getPackageName() + ".";
    private static final Pattern WIRE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, Class<?>> projectTypes;
    private final ConcurrentHashMap<String, Optional<Class<?>>> resolved = new ConcurrentHashMap<>();

    private VimTypeRegistry(Map<String, Class<?>> projectTypes) {
        this.projectTypes = Map.copyOf(projectTypes);
    }

    /** The registry with every type the agent models itself. */
    public static VimTypeRegistry withProjectTypes() {
        return of(List.of(DisabledMethodRequest.class, CryptoKeyId.class, KeyProviderId.class, VirtualTPM.class,
                VirtualNVMEController.class, EncryptableDiskBackings.VirtualDiskFlatVer2BackingInfo.class,
                EncryptableDiskBackings.VirtualDiskSeSparseBackingInfo.class, CryptoSpec.class,
                CryptoSpecEncrypt.class, VmConfigTypes.VirtualMachineConfigInfo.class,
                VmConfigTypes.VirtualMachineConfigSpec.class, VmConfigTypes.VirtualMachineBootOptions.class));
    }

    /** A registry with these project types (wire name = simple class name) in front of yavijava's. */
    public static VimTypeRegistry of(List<Class<?>> types) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> type : types) {
            if (byName.put(type.getSimpleName(), type) != null) {
                throw new IllegalArgumentException("two project types are named " + type.getSimpleName());
            }
        }
        return new VimTypeRegistry(byName);
    }

    /** The project's own wire types (for the native image's reflection list), by class name, sorted. */
    public List<String> projectTypeNames() {
        return projectTypes.values().stream().map(Class::getName).sorted().toList();
    }

    /** The class for a wire type name (without namespace prefix), if the project or yavijava models it. */
    public Optional<Class<?>> resolve(String wireName) {
        if (wireName == null || !WIRE_NAME.matcher(wireName).matches()) {
            return Optional.empty();
        }
        Class<?> project = projectTypes.get(wireName);
        if (project != null) {
            return Optional.of(project);
        }
        return resolved.computeIfAbsent(wireName, VimTypeRegistry::loadVim25);
    }

    /**
     * The class to read a value of {@code declared} as when the XML names no type: the project's subclass of
     * the same wire name if there is one (it carries the fields yavijava's class lacks), else {@code declared}.
     */
    public Class<?> overrideOf(Class<?> declared) {
        Class<?> project = projectTypes.get(declared.getSimpleName());
        return project != null && declared.isAssignableFrom(project) ? project : declared;
    }

    /**
     * Whether this project type only adds fields to yavijava's class of the same wire name: a value of
     * yavijava's class where it is declared still goes through yavijava's serializer.
     */
    public boolean isOverride(Class<?> type) {
        return isProjectType(type) && type.getSuperclass() != null
                && type.getSuperclass().getSimpleName().equals(type.getSimpleName());
    }

    /** Whether this class is one of the project's own wire types (yavijava's serializer cannot write them). */
    public boolean isProjectType(Class<?> type) {
        return projectTypes.get(type.getSimpleName()) == type;
    }

    private static Optional<Class<?>> loadVim25(String wireName) {
        try {
            ClassLoader yavijava = ManagedObjectReference.class.getClassLoader();
            Class<?> type = Class.forName(VIM25_PACKAGE + wireName, false, yavijava);
            return type.isInterface() ? Optional.empty() : Optional.of(type);
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }
}
