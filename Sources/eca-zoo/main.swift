import EcaZoo
print("eca-zoo \(EcaZooVersion.string)")
