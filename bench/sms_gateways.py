"""SMS gateways for the fault run of `make bench` (bench/faults.py): SMS_BACKEND names one."""


class DownGateway:
    """A gateway that cannot be reached: every send raises, as a real client's would."""

    def send(self, phone: str, text: str) -> None:
        raise ConnectionError("短信网关无法连接（性能测试模拟故障）")
