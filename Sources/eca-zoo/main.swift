import EcaZoo
import Foundation

// The command line: argument parsing and dispatch only; all work is in EcaZoo.
setvbuf(stdout, nil, _IOLBF, 0)
let status = CommandLineTool.main(Array(CommandLine.arguments.dropFirst()))
exit(status)
