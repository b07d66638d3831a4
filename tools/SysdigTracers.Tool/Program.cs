using System;
using SysdigTracers.Tool.Commands;

return CommandLine.Run(args, Console.Out, Console.Error);
