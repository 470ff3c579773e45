"""Pure transforms: bytes and text in, values out. No IO, no clock, no Prefect."""
