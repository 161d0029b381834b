import EcaZooCLI
import Foundation

// The executable only hands over: the commands live in EcaZooCLI so that a
// program with its own registrations can run the same command line.
setvbuf(stdout, nil, _IOLBF, 0)
exit(CommandLineTool.main(Array(CommandLine.arguments.dropFirst())))
