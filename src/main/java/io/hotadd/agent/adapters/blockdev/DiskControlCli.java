package io.hotadd.agent.adapters.blockdev;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code hotadd-helperctl}: sends one request to the root helper exactly as the agent does, for an admin
 * checking the privilege set-up and for the appliance boot test. Run as a member of group hotadd:
 *
 * <pre>  hotadd-helperctl [--socket /run/hotadd-helper.sock] scan 0 | delete sdc | roset sdc | rwset sdc</pre>
 *
 * Exit codes: 0 done, 1 refused or failed (the reason on stderr), 2 usage.
 */
public final class DiskControlCli {

    static final Path DEFAULT_SOCKET = Path.of("/run/hotadd-helper.sock");
    private DiskControlCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        Path socket = DEFAULT_SOCKET;
        int first = 0;
        if (args.length >= 2 && args[0].equals("--socket")) {
            socket = Path.of(args[1]);
            first = 2;
        }
        if (args.length - first != 2) {
            System.err.println("usage: hotadd-helperctl [--socket PATH] scan <host> | delete|roset|rwset <sdX>");
            return 2;
        }
        DiskControl control = DiskControl.helper(socket, DiskControl.HELPER_TIMEOUT);
        String operation = args[first];
        String argument = args[first + 1];
        try {
            switch (operation) {
                case "scan" -> control.rescan(Integer.parseInt(argument));
                case "delete" -> control.delete(argument);
                case "roset", "rwset" -> control.setReadOnly(argument, Path.of("/dev", argument),
                        operation.equals("roset"));
                default -> {
                    System.err.println("unknown operation '" + operation + "'");
                    return 2;
                }
            }
            System.out.println("ok");
            return 0;
        } catch (IOException | BlockDeviceException | IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 1;
        }
    }
}
