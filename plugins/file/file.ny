// FileBox (plugins/file): a C-ABI plugin type flagged MAY_BLOCK. It writes, appends, reads and deletes
// nyash_file_sample.txt in the current directory.
local f = new FileBox("nyash_file_sample.txt")
if f.exists() { f.delete() }
print("exists before: " + f.exists())
f.open("w")
print("wrote " + f.write("hello\n") + " bytes")
f.write("second line")
f.close()
print("exists after: " + f.exists())
f.open("r")
local text = f.read()
f.close()
print("read " + text.length() + " bytes: " + text.replace("\n", "|"))
f.open("a")
f.write("!")
f.close()
f.open("r")
print(f.read())
f.close()
try { f.read() } catch (e) { print("caught: " + e) }
try { f.open("x") } catch (e) { print("caught: " + e) }
try { new FileBox("no/such/dir/file.txt").open("r") } catch (e) { print("caught an open error") }
print("deleted: " + f.delete())
print("exists at the end: " + f.exists())
