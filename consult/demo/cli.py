"""`flask --app run demo load`."""
import click
from flask.cli import AppGroup

from consult.core.cli import fail, one_line_errors
from consult.demo import loader
from consult.extensions import db

demo_group = AppGroup("demo", help="The demo consultation.")


@demo_group.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the demo is already there.")
@one_line_errors
def load_command(if_empty: bool) -> None:
    """Load the demo consultation on Qom's third operational plan."""
    if loader.is_loaded():
        if if_empty:
            click.echo("demo already loaded")
            return
        fail("error: the demo is already loaded — نمونه پیش‌تر بارگذاری شده است")
    summary = loader.load_demo()
    db.session.commit()
    items = ", ".join(f"{count} {kind}" for kind, count in summary.items.items())
    click.echo(f"demo loaded: {items}; {summary.users} people; {summary.comments} comments")
    click.echo(f"demo accounts (demo only): admin@example.ir, planner@example.ir, secretary@example.ir, "
               f"secretary2@example.ir, expert@example.ir — password {loader.DEMO_PASSWORD}")


GROUPS = (demo_group,)
