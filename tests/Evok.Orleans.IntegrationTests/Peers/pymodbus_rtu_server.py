"""An independent Modbus RTU slave (Debian's python3-pymodbus and python3-serial) for testing our RTU master.

Unit 1 holds what pymodbus_server.py holds: holding registers 0..99 = 1000 + address, input registers
0..99 = 2000 + address, coils set where address % 3 == 0; past address 99 exception 2.
Usage: python3 pymodbus_rtu_server.py <serial device> <baud rate>
"""
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartSerialServer
from pymodbus.transaction import ModbusRtuFramer

logging.basicConfig(level=logging.WARNING)

device, baudrate = sys.argv[1], int(sys.argv[2])
unit = ModbusSlaveContext(
    co=ModbusSequentialDataBlock(0, [address % 3 == 0 for address in range(100)]),
    di=ModbusSequentialDataBlock(0, [False] * 100),
    hr=ModbusSequentialDataBlock(0, [1000 + address for address in range(100)]),
    ir=ModbusSequentialDataBlock(0, [2000 + address for address in range(100)]),
    zero_mode=True,
)
print("ready", flush=True)
StartSerialServer(
    context=ModbusServerContext(slaves={1: unit}, single=False),
    framer=ModbusRtuFramer,
    port=device,
    baudrate=baudrate,
    bytesize=8,
    parity="N",
    stopbits=1,
)
