"""An independent Modbus TCP server (Debian's python3-pymodbus) for testing our master.

Unit 1 holds: holding registers 0..99 = 1000 + address, input registers 0..99 = 2000 + address,
coils 0..99 set where address % 3 == 0. Anything past address 99 answers exception 2 (illegal data address).
Usage: python3 pymodbus_server.py <port>
"""
import logging
import sys

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer

logging.basicConfig(level=logging.WARNING)

port = int(sys.argv[1])
unit = ModbusSlaveContext(
    co=ModbusSequentialDataBlock(0, [address % 3 == 0 for address in range(100)]),
    di=ModbusSequentialDataBlock(0, [False] * 100),
    hr=ModbusSequentialDataBlock(0, [1000 + address for address in range(100)]),
    ir=ModbusSequentialDataBlock(0, [2000 + address for address in range(100)]),
    zero_mode=True,
)
StartTcpServer(context=ModbusServerContext(slaves={1: unit}, single=False), address=("127.0.0.1", port))
