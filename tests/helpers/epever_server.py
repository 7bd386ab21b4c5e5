"""A real Modbus RTU server that answers like an EPever Tracer, for the power probe's integration test.

Run with Debian's Python (/usr/bin/python3), which has python3-pymodbus; written for pymodbus 3.0.
Usage: epever_server.py <serial port> <baud> <registers JSON>
The JSON is {"unit": 1, "input": {"12544": 1850, ...}, "holding": {"36877": 1110}}; an address that is
not listed answers with exception 2 (illegal data address). Prints "ready" once the port is open.
"""
import asyncio
import json
import signal
import sys

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext, ModbusSparseDataBlock
from pymodbus.server.async_io import ModbusSerialServer
from pymodbus.transaction import ModbusRtuFramer


async def main(port: str, baud: int, spec: dict) -> None:
    def block(table: dict) -> ModbusSparseDataBlock:
        # An empty sparse block would be filled with defaults; one unused register keeps it sparse.
        values = {int(address): value for address, value in table.items()} or {0xFFFF: 0}
        return ModbusSparseDataBlock(values)

    slave = ModbusSlaveContext(
        ir=block(spec.get("input", {})),
        hr=block(spec.get("holding", {})),
        di=block({}),
        co=block({}),
        zero_mode=True,
    )
    # Only this unit answers; requests for other units get no reply at all, as on a real bus.
    context = ModbusServerContext(slaves={spec.get("unit", 1): slave}, single=False)
    server = ModbusSerialServer(
        context, framer=ModbusRtuFramer, port=port, baudrate=baud, ignore_missing_slaves=True
    )
    await server.start()
    if server.transport is None:
        print(f"cannot open {port}", file=sys.stderr, flush=True)
        sys.exit(1)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()
    await server.shutdown()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])))
