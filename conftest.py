"""The specification's plugin for runs in this checkout without plugin autoloading.

Normally the installed ``pytest11`` entry point ``nnspec`` (nnspec/options.py) declares the options and
registers the session object (nnspec/plugin.py). With ``PYTEST_DISABLE_PLUGIN_AUTOLOAD`` (or
``--disable-plugin-autoload``) the entry point is not loaded: this file, the parent of every path in the
checkout, registers the same module then.
"""


def pytest_addoption(parser, pluginmanager):
    if not pluginmanager.has_plugin("nnspec"):
        from nnspec import options

        pluginmanager.register(options, "nnspec")
